"use server";
// Deletes one of the team's OpenAI keys (its ciphertext is gone for good).
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { deleteUpstreamKey } from "@/lib/upstream/keys";
import { upstreamKeyIdSchema } from "@/lib/validations/upstream";

export const deleteUpstreamKeyAction = teamAction(
  { schema: upstreamKeyIdSchema, permission: "upstream_keys.write", stepUp: true },
  async (input, ctx) => {
    await deleteUpstreamKey(ctx, input.keyId);
    revalidatePath(`/t/${ctx.team.slug}/upstream-keys`);
    return null;
  },
);
