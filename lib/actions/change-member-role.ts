"use server";
// Changes a member's role within the actor's own rank.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { changeMemberRole } from "@/lib/teams/members";
import { changeMemberRoleSchema } from "@/lib/validations/team";

export const changeMemberRoleAction = teamAction(
  { schema: changeMemberRoleSchema, permission: "members.update_role", stepUp: true },
  async (input, ctx) => {
    const updated = await changeMemberRole(ctx, input.membershipId, input.role);
    revalidatePath(`/t/${ctx.team.slug}/members`);
    return { role: updated.role };
  },
);
