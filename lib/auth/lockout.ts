// The account lock (NIST SP 800-63B 5.2.2): 100 consecutive failed sign-ins lock the account; the right
// password then fails too, until the owner lifts the lock with an e-mailed single-use link or an operator runs
// `keyward users unlock --email E`.
import { recordSignInEvent } from "@/lib/auth/sign-in-events";
import { clearAccountThrottle } from "@/lib/auth/throttle";
import type { RequestContext } from "@/lib/audit/record";
import { randomToken, sha256Hex } from "@/lib/crypto/tokens";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { accountLockedEmail } from "@/lib/mail/security-templates";
import { sendMail } from "@/lib/mail/send";

export const LOCK_AFTER_FAILURES = 100;
export const UNLOCK_LINK_INVALID = "This unlock link is not valid any more. Sign in to get a new one.";
const UNLOCK_LINK_HOURS = 24;
const UNLOCK_PURPOSE = "unlock";

/** Counts one failure; returns true when this one locked the account. */
export async function countFailure(userId: string, request: RequestContext, now = new Date()): Promise<boolean> {
  const user = await db().user.update({
    where: { id: userId },
    data: { failedSignIns: { increment: 1 } },
    select: { failedSignIns: true, lockedAt: true, email: true },
  });
  if (user.lockedAt || user.failedSignIns < LOCK_AFTER_FAILURES) return false;
  const { count } = await db().user.updateMany({ where: { id: userId, lockedAt: null }, data: { lockedAt: now } });
  if (count !== 1) return false; // a parallel failure locked it first
  await recordSignInEvent(db(), {
    userId,
    kind: "locked_out",
    reason: `${user.failedSignIns} consecutive failures`,
    request,
  });
  await sendUnlockLink(userId, user.email, now);
  return true;
}

export async function resetFailures(userId: string): Promise<void> {
  await db().user.updateMany({ where: { id: userId, failedSignIns: { gt: 0 } }, data: { failedSignIns: 0 } });
}

/** E-mails a fresh single-use unlock link (older unused ones stop working). */
export async function sendUnlockLink(userId: string, email: string, now = new Date()): Promise<void> {
  const token = randomToken();
  await transaction(async (tx) => {
    await tx.accountToken.deleteMany({ where: { userId, purpose: UNLOCK_PURPOSE } });
    await tx.accountToken.create({
      data: {
        userId,
        purpose: UNLOCK_PURPOSE,
        tokenHash: sha256Hex(token),
        expiresAt: new Date(now.getTime() + UNLOCK_LINK_HOURS * 60 * 60 * 1000),
      },
    });
  });
  const unlockUrl = new URL(`/unlock?token=${encodeURIComponent(token)}`, env().APP_URL).toString();
  try {
    await sendMail(accountLockedEmail({ to: email, unlockUrl }));
  } catch (error) {
    logger.error({ err: error, userId }, "could not send the unlock e-mail");
  }
}

async function unlock(userId: string, email: string, request: RequestContext, reason: string): Promise<void> {
  await transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { lockedAt: null, failedSignIns: 0 } });
    await tx.accountToken.deleteMany({ where: { userId, purpose: UNLOCK_PURPOSE } });
    await recordSignInEvent(tx, { userId, kind: "unlocked", reason, request });
  });
  await clearAccountThrottle(email);
}

/** The e-mailed link: spends the token (once) and lifts the lock. False for an unknown, used or old token. */
export async function unlockWithToken(token: string, request: RequestContext, now = new Date()): Promise<boolean> {
  const { count } = await db().accountToken.updateMany({
    where: { tokenHash: sha256Hex(token), purpose: UNLOCK_PURPOSE, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return false;
  const row = await db().accountToken.findUniqueOrThrow({
    where: { tokenHash: sha256Hex(token) },
    select: { user: { select: { id: true, email: true } } },
  });
  await unlock(row.user.id, row.user.email, request, "e-mailed link");
  return true;
}

/** The operator's `keyward users unlock`. */
export async function unlockByOperator(userId: string, email: string): Promise<void> {
  await unlock(userId, email, { ip: null, userAgent: "keyward cli" }, "operator (CLI)");
}
