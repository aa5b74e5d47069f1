// Accounts: sign-up (user + first team), password change, sign out everywhere.
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/api/errors";
import { recordAudit, type RequestContext } from "@/lib/audit/record";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { revokeUserSessions, type ActiveSession } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { sendMail } from "@/lib/mail/send";
import { signUpNoticeEmail } from "@/lib/mail/sign-up-notice";
import { acceptInviteIn, describeInvite, INVITE_ERRORS } from "@/lib/teams/invites";
import { createTeamWithOwner } from "@/lib/teams/teams";
import type { ChangePasswordInput, SignUpInput } from "@/lib/validations/auth";

export const ACCOUNT_ERRORS = {
  emailTaken: "An account with this e-mail already exists. Sign in instead.",
  wrongPassword: "Your current password is not correct.",
} as const;

export async function signUp(input: SignUpInput, context: RequestContext) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash },
        select: { id: true, email: true, name: true },
      });
      const actor = { type: "user" as const, id: user.id, label: user.email };
      // Through an invitation the account joins the inviting team (or nothing is created at all, if the
      // invitation cannot be used): no second, unwanted team of its own.
      const team = input.inviteToken
        ? (await acceptInviteIn(tx, input.inviteToken, user, context)).team
        : await createTeamWithOwner(tx, {
            name: input.teamName || `${input.name}'s team`,
            ownerId: user.id,
            actor,
            context,
          });
      await recordAudit(tx, {
        teamId: team.id,
        actor,
        action: "user.sign_up",
        targets: [{ type: "user", id: user.id, label: user.email }],
        context,
      });
      return { user, team };
    });
  } catch (error) {
    if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002") {
      throw new AppError("conflict", ACCOUNT_ERRORS.emailTaken);
    }
    throw error;
  }
}

/**
 * Sign-up as the public form does it: the same answer whether or not the e-mail already has an account, so
 * the form cannot be used to find out who has one. For a taken address nothing is created and its owner is
 * e-mailed instead (`notice`, not awaited by the form: how long the mail takes must not tell either). An
 * invitation is checked the same way in both cases, so its errors do not tell either.
 */
export async function signUpOrNotify(
  input: SignUpInput,
  context: RequestContext,
): Promise<{ notice: Promise<void> | null }> {
  try {
    await signUp(input, context);
    return { notice: null };
  } catch (error) {
    if (!(error instanceof AppError && error.message === ACCOUNT_ERRORS.emailTaken)) throw error;
    if (input.inviteToken) await refuseInviteAsSignUpWould(input.inviteToken, input.email);
    logger.info({ event: "sign_up_existing_email" }, "sign-up with a taken e-mail: the owner is told");
    const notice = noticeToOwner(input.email, context).catch((mailError: unknown) =>
      logger.error({ err: mailError }, "the sign-up notice could not be sent"),
    );
    return { notice };
  }
}

/** The refusals acceptInviteIn would have given a new account with this e-mail, in the same order. */
async function refuseInviteAsSignUpWould(token: string, email: string): Promise<void> {
  const invite = await describeInvite(token);
  if (!invite) throw new AppError("not_found", INVITE_ERRORS.invalid);
  if (invite.error) throw new AppError("conflict", invite.error);
  if (invite.email !== email.toLowerCase()) throw new AppError("forbidden", INVITE_ERRORS.wrongEmail);
}

async function noticeToOwner(email: string, context: RequestContext): Promise<void> {
  const owner = await db().user.findUnique({ where: { email }, select: { email: true, name: true } });
  if (!owner) return;
  const signInLink = `${env().APP_URL}/sign-in`;
  await sendMail(signUpNoticeEmail({ to: owner.email, name: owner.name, signInLink, ip: context.ip }));
}

/** Changes the password and ends every other session of the user at once; this browser stays signed in. */
export async function changePassword(session: ActiveSession, input: ChangePasswordInput, context: RequestContext) {
  const user = await db().user.findUniqueOrThrow({ where: { id: session.user.id }, select: { passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError("unprocessable", ACCOUNT_ERRORS.wrongPassword, {
      currentPassword: [ACCOUNT_ERRORS.wrongPassword],
    });
  }
  const passwordHash = await hashPassword(input.password);
  return transaction(async (tx) => {
    await tx.user.update({ where: { id: session.user.id }, data: { passwordHash, passwordChangedAt: new Date() } });
    const ended = await revokeUserSessions(tx, session.user.id, session.sessionId);
    await recordAudit(tx, {
      teamId: null,
      actor: { type: "user", id: session.user.id, label: session.user.email },
      action: "user.password_change",
      targets: [{ type: "user", id: session.user.id, label: session.user.email }],
      metadata: { sessionsEnded: ended },
      context,
    });
    return { sessionsEnded: ended };
  });
}

export async function signOutEverywhere(session: ActiveSession, context: RequestContext) {
  return transaction(async (tx) => {
    const ended = await revokeUserSessions(tx, session.user.id);
    await recordAudit(tx, {
      teamId: null,
      actor: { type: "user", id: session.user.id, label: session.user.email },
      action: "user.sign_out_everywhere",
      targets: [{ type: "user", id: session.user.id, label: session.user.email }],
      metadata: { sessionsEnded: ended },
      context,
    });
    return { sessionsEnded: ended };
  });
}
