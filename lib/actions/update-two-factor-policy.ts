"use server";
// "2FA required" for the team: owners only, after a step-up; audited with who it affects.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { updateTwoFactorPolicy } from "@/lib/teams/two-factor-policy";
import { twoFactorPolicySchema } from "@/lib/validations/two-factor";

export const updateTwoFactorPolicyAction = teamAction(
  { schema: twoFactorPolicySchema, permission: "security.policy", stepUp: true },
  async (input, ctx) => {
    await updateTwoFactorPolicy(ctx, input);
    revalidatePath(`/t/${ctx.team.slug}`, "layout");
    return null;
  },
);
