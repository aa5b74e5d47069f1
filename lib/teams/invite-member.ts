// Invites someone by e-mail and sends the invitation: what the dashboard's invite action and the management
// API's POST …/invites both do, so the audit event (invite.create) and the e-mail are the same.
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { sendMail } from "@/lib/mail/send";
import { inviteEmail } from "@/lib/mail/templates";
import type { Role } from "@/lib/generated/prisma/enums";
import type { TeamContext } from "@/lib/teams/context";
import { createInvite } from "@/lib/teams/invites";

/** The link is returned only when no mail could be sent over SMTP, for the inviter to pass on. */
export async function inviteMember(ctx: TeamContext, input: { email: string; role: Role }) {
  const appUrl = env().APP_URL; // read first: a configuration problem must not leave an invite behind
  const { invite, token } = await createInvite(ctx, input);
  // The token travels in the fragment: browsers never send it to a server, a proxy log or a Referer.
  const link = `${appUrl}/invite#${token}`;
  let mailed = false;
  try {
    const delivery = await sendMail(
      inviteEmail({ to: invite.email, link, teamName: ctx.team.name, inviterName: ctx.user.name, role: invite.role }),
    );
    mailed = delivery.via === "smtp";
  } catch (error) {
    logger.error({ err: error, inviteId: invite.id }, "invite e-mail failed");
  }
  return { ...invite, mailed, link: mailed ? null : link };
}
