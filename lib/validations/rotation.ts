// Input of a key roll: the management API's body and the dashboard's form. The overlap's bounds and messages
// are the domain's own (overlapHoursSchema in lib/rotation/roll.ts), so the two cannot disagree.
import { z } from "zod";
import { rotationPolicySchema } from "@/lib/rotation/policy";
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

const NUMBER_FIELDS = ["memberKeyMaxAgeDays", "managementKeyMaxAgeDays", "upstreamKeyMaxAgeDays", "graceDays"];
const asNumber = (value: unknown) =>
  typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;

/** The dashboard's rotation policy form: numbers as typed, reminders as "14, 3, 0"; errors by field name. */
export const rotationPolicyFormSchema = z.preprocess(
  (raw) => {
    if (typeof raw !== "object" || raw === null) return raw;
    const form: Record<string, unknown> = { ...raw };
    for (const field of NUMBER_FIELDS) form[field] = asNumber(form[field]);
    const offsets = form.reminderOffsetsDays;
    if (typeof offsets === "string")
      form.reminderOffsetsDays = offsets.trim() === "" ? [] : offsets.split(",").map((part) => asNumber(part.trim()));
    return form;
  },
  rotationPolicySchema.extend({ teamSlug: z.string().min(1).max(64) }),
);
