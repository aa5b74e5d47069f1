// What an operator may do to an account from the shell (`keyward users …`): list accounts with their 2FA and
// lock state, lift a lock, reset 2FA for someone who lost both their device and their codes.
import { AppError } from "@/lib/api/errors";
import { recordAudit, type RequestContext } from "@/lib/audit/record";
import { unlockByOperator } from "@/lib/auth/lockout";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { recordSignInEvent } from "@/lib/auth/sign-in-events";
import { clearTwoFactor } from "@/lib/auth/two-factor";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { logger } from "@/lib/logger";
import { twoFactorResetEmail } from "@/lib/mail/security-templates";
import { sendMail } from "@/lib/mail/send";

const CLI_REQUEST: RequestContext = { ip: null, userAgent: "keyward cli" };
const CLI_ACTOR = { type: "system", label: "keyward CLI" } as const;

export type AccountRow = {
  id: string;
  email: string;
  name: string;
  twoFactor: boolean;
  locked: boolean;
  failedSignIns: number;
  createdAt: Date;
};

export async function listAccounts(): Promise<AccountRow[]> {
  const users = await db().user.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      email: true,
      name: true,
      totpEnabledAt: true,
      lockedAt: true,
      failedSignIns: true,
      createdAt: true,
    },
  });
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    twoFactor: u.totpEnabledAt !== null,
    locked: u.lockedAt !== null,
    failedSignIns: u.failedSignIns,
    createdAt: u.createdAt,
  }));
}

async function accountByEmail(email: string) {
  const user = await db().user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, email: true, lockedAt: true, totpEnabledAt: true },
  });
  if (!user) throw new AppError("not_found", `No account with the e-mail address ${email}.`);
  return user;
}

/** Returns false when the account was not locked (nothing to do). */
export async function unlockAccount(email: string): Promise<boolean> {
  const user = await accountByEmail(email);
  if (!user.lockedAt) return false;
  await unlockByOperator(user.id, user.email);
  return true;
}

/** Turns 2FA off, ends every session, audits, and tells the user. Returns the number of sessions ended. */
export async function resetTwoFactor(email: string): Promise<{ hadTwoFactor: boolean; sessionsEnded: number }> {
  const user = await accountByEmail(email);
  const sessionsEnded = await transaction(async (tx) => {
    await clearTwoFactor(tx, user.id);
    const ended = await revokeUserSessions(tx, user.id);
    await recordSignInEvent(tx, {
      userId: user.id,
      kind: "two_factor_reset",
      reason: "operator (CLI)",
      request: CLI_REQUEST,
    });
    await recordAudit(tx, {
      teamId: null,
      actor: CLI_ACTOR,
      action: "user.two_factor_reset",
      targets: [{ type: "user", id: user.id, label: user.email }],
      metadata: { hadTwoFactor: user.totpEnabledAt !== null, sessionsEnded: ended },
      context: CLI_REQUEST,
    });
    return ended;
  });
  try {
    await sendMail(twoFactorResetEmail({ to: user.email }));
  } catch (error) {
    logger.error({ err: error, userId: user.id }, "could not send the 2FA reset e-mail");
  }
  return { hadTwoFactor: user.totpEnabledAt !== null, sessionsEnded };
}
