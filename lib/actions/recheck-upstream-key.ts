"use server";
// Asks the upstream whether a stored key still works.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { recheckUpstreamKey } from "@/lib/upstream/keys";
import { upstreamKeyIdSchema } from "@/lib/validations/upstream";

export const recheckUpstreamKeyAction = teamAction(
  { schema: upstreamKeyIdSchema, permission: "upstream_keys.write" },
  async (input, ctx) => {
    const check = await recheckUpstreamKey(ctx, input.keyId);
    revalidatePath(`/t/${ctx.team.slug}/upstream-keys`);
    return check;
  },
);
