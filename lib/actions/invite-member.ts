"use server";
// Invites someone by e-mail. The link is returned to the inviter only when no mail could be sent.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { inviteMember } from "@/lib/teams/invite-member";
import { inviteMemberSchema } from "@/lib/validations/team";

export const inviteMemberAction = teamAction(
  { schema: inviteMemberSchema, permission: "members.invite" },
  async (input, ctx) => {
    const invited = await inviteMember(ctx, { email: input.email, role: input.role });
    revalidatePath(`/t/${ctx.team.slug}/members`);
    return { email: invited.email, mailed: invited.mailed, link: invited.link };
  },
);
