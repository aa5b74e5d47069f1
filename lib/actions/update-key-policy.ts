"use server";
// Sets the team's key policy: the ceiling for every key of the team, existing ones included, at every request.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { updateTeamKeyPolicy } from "@/lib/keys/team-policy";
import { policyFormSchema } from "@/lib/validations/keys";

export const updateKeyPolicyAction = teamAction(
  { schema: policyFormSchema, permission: "api_keys.policy" },
  async (input, ctx) => {
    await updateTeamKeyPolicy(ctx, input.policy);
    revalidatePath(`/t/${ctx.team.slug}/keys`);
    return null;
  },
);
