"use server";
// Rolls a member key: the successor's full key is returned once; the old key keeps working for the overlap.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { rollKey } from "@/lib/rotation/roll";
import { rollKeyFormSchema } from "@/lib/validations/rotation";

export const rollKeyAction = teamAction(
  // A new secret with the old key's scopes: a recent password or code, as the management API asks too.
  { schema: rollKeyFormSchema, permission: "api_keys.own", stepUp: true },
  async (input, ctx) => {
    const rolled = await rollKey(ctx, input.keyId, { overlapHours: input.overlapHours });
    revalidatePath(`/t/${ctx.team.slug}/keys`);
    revalidatePath(`/t/${ctx.team.slug}`);
    return {
      id: rolled.id,
      name: rolled.name,
      prefix: rolled.prefix,
      key: rolled.key,
      oldKeyStopsAt: rolled.previous.overlapEndsAt.toISOString(),
    };
  },
);
