"use server";
// Sets the team's key rotation policy: maximum ages, reminder offsets, and what happens at the deadline.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { updateRotationPolicy } from "@/lib/rotation/team-policy";
import { rotationPolicyFormSchema } from "@/lib/validations/rotation";

export const updateRotationPolicyAction = teamAction(
  { schema: rotationPolicyFormSchema, permission: "api_keys.policy" },
  async (input, ctx) => {
    const { teamSlug: _slug, ...policy } = input;
    await updateRotationPolicy(ctx, policy);
    revalidatePath(`/t/${ctx.team.slug}`, "layout");
    return null;
  },
);
