"use server";
// Invites someone by e-mail. The link is returned to the inviter only when no mail could be sent.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { inviteEmail } from "@/lib/mail/templates";
import { sendMail } from "@/lib/mail/send";
import { createInvite } from "@/lib/teams/invites";
import { inviteMemberSchema } from "@/lib/validations/team";

export const inviteMemberAction = teamAction(
  { schema: inviteMemberSchema, permission: "members.invite" },
  async (input, ctx) => {
    const { invite, token } = await createInvite(ctx, { email: input.email, role: input.role });
    // The token travels in the fragment: browsers never send it to a server, a proxy log or a Referer.
    const link = `${env().APP_URL}/invite#${token}`;
    let mailed = false;
    try {
      const delivery = await sendMail(
        inviteEmail({ to: invite.email, link, teamName: ctx.team.name, inviterName: ctx.user.name, role: invite.role }),
      );
      mailed = delivery.via === "smtp";
    } catch (error) {
      logger.error({ err: error, inviteId: invite.id }, "invite e-mail failed");
    }
    revalidatePath(`/t/${ctx.team.slug}/members`);
    return { email: invite.email, mailed, link: mailed ? null : link };
  },
);
