"use server";
// Removes a member from the team.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { removeMember } from "@/lib/teams/members";
import { removeMemberSchema } from "@/lib/validations/team";

export const removeMemberAction = teamAction(
  { schema: removeMemberSchema, permission: "members.remove" },
  async (input, ctx) => {
    await removeMember(ctx, input.membershipId);
    revalidatePath(`/t/${ctx.team.slug}/members`);
    return null;
  },
);
