"use server";
// Enables or disables one of the team's OpenAI keys.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { setUpstreamKeyEnabled } from "@/lib/upstream/keys";
import { setUpstreamKeyEnabledSchema } from "@/lib/validations/upstream";

export const setUpstreamKeyEnabledAction = teamAction(
  { schema: setUpstreamKeyEnabledSchema, permission: "upstream_keys.write", stepUp: true },
  async (input, ctx) => {
    await setUpstreamKeyEnabled(ctx, input.keyId, input.enabled);
    revalidatePath(`/t/${ctx.team.slug}/upstream-keys`);
    return null;
  },
);
