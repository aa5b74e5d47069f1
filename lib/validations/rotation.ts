// Input of a key roll: the management API's body and the dashboard's form. The overlap's bounds and messages
// are the domain's own (overlapHoursSchema in lib/rotation/roll.ts), so the two cannot disagree.
import { z } from "zod";
import { overlapHoursSchema } from "@/lib/rotation/roll";
import { keyIdSchema } from "@/lib/validations/keys";

export const rollKeyJsonSchema = z.strictObject({
  overlapHours: overlapHoursSchema
    .optional()
    .meta({ description: "How long the old key keeps working, in hours (1 to 168; default 24)." }),
});
export type RollKeyInput = z.infer<typeof rollKeyJsonSchema>;

/** The dashboard's roll form: a select whose values are whole hours. */
export const rollKeyFormSchema = keyIdSchema.extend({ overlapHours: z.coerce.number().pipe(overlapHoursSchema) });
