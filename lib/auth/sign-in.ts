// The two steps of signing in, and step-up. Each attempt costs exactly one password-hash verification,
// whatever the outcome (unknown e-mail, wrong password, locked, throttled): nothing about an account can be
// read from the answer or its timing. Every attempt is recorded (sign-in-events.ts) with an internal reason.
import { countFailure, resetFailures, sendUnlockLink } from "@/lib/auth/lockout";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import { createSession, markReauthenticated, revokeSession } from "@/lib/auth/sessions";
import { isKnownDevice, recordSignInEvent } from "@/lib/auth/sign-in-events";
import { clearAccountThrottle, recordThrottledFailure, throttleState } from "@/lib/auth/throttle";
import { verifySecondFactor, type Clock } from "@/lib/auth/two-factor";
import { describeUserAgent } from "@/lib/auth/user-agent";
import type { RequestContext } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { newDeviceEmail } from "@/lib/mail/security-templates";
import { sendMail } from "@/lib/mail/send";

export type SignedInUser = { id: string; email: string; name: string };

export type PasswordStepResult =
  | { outcome: "signed_in"; sessionId: string; user: SignedInUser }
  | { outcome: "second_factor"; sessionId: string; user: SignedInUser }
  /** Wrong password, unknown e-mail, locked or throttled account: one answer for all. */
  | { outcome: "refused" }
  /** This IP made too many failed attempts: the page may say so (it reveals nothing about any account). */
  | { outcome: "ip_throttled" };

async function completeSignIn(
  user: SignedInUser,
  request: RequestContext,
  now: Date,
  details: { endPending?: string; recoveryCodesLeft?: number } = {},
): Promise<string> {
  const knownDevice = await isKnownDevice(user.id, request);
  const session = await transaction(async (tx) => {
    // The pending row ends and a new session id is issued: the id that saw only the password is worthless.
    if (details.endPending)
      await tx.userSession.updateMany({ where: { id: details.endPending, revokedAt: null }, data: { revokedAt: now } });
    const created = await createSession(user.id, request, { now, client: tx });
    await tx.user.update({ where: { id: user.id }, data: { failedSignIns: 0 } });
    if (details.recoveryCodesLeft !== undefined)
      await recordSignInEvent(tx, {
        userId: user.id,
        sessionId: created.id,
        kind: "recovery_code_used",
        request,
        metadata: { remaining: details.recoveryCodesLeft },
      });
    await recordSignInEvent(tx, {
      userId: user.id,
      sessionId: created.id,
      kind: "success",
      request,
      metadata: {
        secondFactor: details.endPending
          ? details.recoveryCodesLeft !== undefined
            ? "recovery_code"
            : "totp"
          : "none",
      },
    });
    return created;
  });
  await clearAccountThrottle(user.email);
  if (!knownDevice) await tellAboutNewDevice(user, request, now);
  return session.id;
}

async function tellAboutNewDevice(user: SignedInUser, request: RequestContext, now: Date): Promise<void> {
  // The very first sign-in (right after sign-up) is no news to anyone.
  const earlier = await db().signInEvent.count({ where: { userId: user.id, kind: "success" } });
  if (earlier <= 1) return;
  try {
    await sendMail(
      newDeviceEmail({
        to: user.email,
        device: describeUserAgent(request.userAgent).label,
        ip: request.ip,
        when: now,
        securityUrl: new URL("/account/security", env().APP_URL).toString(),
      }),
    );
  } catch (error) {
    logger.error({ err: error, userId: user.id }, "could not send the new-device e-mail");
  }
}

/** Step one: e-mail and password. */
export async function passwordStep(
  input: { email: string; password: string },
  request: RequestContext,
  clock: Clock = Date.now,
): Promise<PasswordStepResult> {
  const now = new Date(clock());
  const [throttled, user] = await Promise.all([
    throttleState(input.email, request.ip),
    db().user.findUnique({
      where: { email: input.email },
      select: { id: true, email: true, name: true, passwordHash: true, lockedAt: true, totpEnabledAt: true },
    }),
  ]);
  const userId = user?.id ?? null;
  if (throttled.ip || throttled.account || !user) {
    await burnPasswordCheck(input.password);
    const kind = !throttled.ip && !throttled.account ? "unknown_account" : "throttled";
    const reason = throttled.ip ? "ip delay" : throttled.account ? "account delay" : "no such e-mail";
    await recordSignInEvent(db(), { userId, kind, reason, request });
    if (kind === "unknown_account") await recordThrottledFailure(input.email, request.ip);
    return throttled.ip ? { outcome: "ip_throttled" } : { outcome: "refused" };
  }
  const passwordRight = await verifyPassword(user.passwordHash, input.password);
  const signedIn: SignedInUser = { id: user.id, email: user.email, name: user.name };
  if (user.lockedAt) {
    await recordSignInEvent(db(), {
      userId,
      kind: "locked_out",
      reason: passwordRight ? "locked; right password" : "locked; wrong password",
      request,
    });
    // The owner (who knows the password) gets a fresh link; a guesser only spends attempts.
    if (passwordRight) await sendUnlockLink(user.id, user.email, now);
    return { outcome: "refused" };
  }
  if (!passwordRight) {
    await recordSignInEvent(db(), { userId, kind: "wrong_password", request });
    await recordThrottledFailure(input.email, request.ip);
    await countFailure(user.id, request, now);
    return { outcome: "refused" };
  }
  if (user.totpEnabledAt) {
    const pending = await createSession(user.id, request, { pending: true, now });
    await recordSignInEvent(db(), { userId, sessionId: pending.id, kind: "second_factor_required", request });
    return { outcome: "second_factor", sessionId: pending.id, user: signedIn };
  }
  return { outcome: "signed_in", sessionId: await completeSignIn(signedIn, request, now), user: signedIn };
}

export type SecondStepResult = { outcome: "signed_in"; sessionId: string; user: SignedInUser } | { outcome: "refused" };

/** Step two: a TOTP or recovery code for a pending session. Failures count like wrong passwords. */
export async function secondFactorStep(
  input: { pendingSessionId: string; userId: string; code: string },
  request: RequestContext,
  clock: Clock = Date.now,
): Promise<SecondStepResult | { outcome: "ip_throttled" }> {
  const now = new Date(clock());
  const pending = await db().userSession.findFirst({
    where: {
      id: input.pendingSessionId,
      userId: input.userId,
      secondFactorPending: true,
      revokedAt: null,
      expiresAt: { gt: now },
    },
    select: { id: true, user: { select: { id: true, email: true, name: true, lockedAt: true } } },
  });
  if (!pending) return { outcome: "refused" };
  const { user } = pending;
  const throttled = await throttleState(user.email, request.ip);
  if (throttled.ip || throttled.account || user.lockedAt) {
    await recordSignInEvent(db(), {
      userId: user.id,
      sessionId: pending.id,
      kind: user.lockedAt ? "locked_out" : "throttled",
      reason: user.lockedAt ? "locked" : throttled.ip ? "ip delay" : "account delay",
      request,
    });
    if (user.lockedAt) await revokeSession(pending.id);
    return throttled.ip ? { outcome: "ip_throttled" } : { outcome: "refused" };
  }
  const result = await verifySecondFactor(user.id, input.code, clock);
  const signedIn: SignedInUser = { id: user.id, email: user.email, name: user.name };
  if (!result.ok) {
    await recordSignInEvent(db(), { userId: user.id, sessionId: pending.id, kind: "wrong_code", request });
    await recordThrottledFailure(user.email, request.ip);
    if (await countFailure(user.id, request, now)) await revokeSession(pending.id);
    return { outcome: "refused" };
  }
  const sessionId = await completeSignIn(signedIn, request, now, {
    endPending: pending.id,
    recoveryCodesLeft: result.method === "recovery_code" ? result.remaining : undefined,
  });
  return { outcome: "signed_in", sessionId, user: signedIn };
}

export const STEP_UP_ERROR = "That is not right. Enter your password or a current code from your authenticator app.";

/**
 * Step-up: the password, or (with 2FA on) a TOTP code, entered again in a live session. Failures count
 * towards the same throttle and lock as sign-in attempts.
 */
export async function reauthenticate(
  session: { sessionId: string; user: { id: string; email: string } },
  secret: string,
  request: RequestContext,
  clock: Clock = Date.now,
): Promise<boolean> {
  const now = new Date(clock());
  const throttled = await throttleState(session.user.email, request.ip);
  const user = await db().user.findUniqueOrThrow({
    where: { id: session.user.id },
    select: { passwordHash: true, totpEnabledAt: true },
  });
  let ok = false;
  if (!throttled.account && !throttled.ip) {
    const looksLikeCode = /^\s*\d{3}\s?\d{3}\s*$/.test(secret);
    ok =
      looksLikeCode && user.totpEnabledAt
        ? (await verifySecondFactor(session.user.id, secret.replace(/\s/g, ""), clock)).ok
        : await verifyPassword(user.passwordHash, secret);
  }
  if (ok) {
    await markReauthenticated(session.sessionId, now);
    await resetFailures(session.user.id);
    return true;
  }
  await recordSignInEvent(db(), {
    userId: session.user.id,
    sessionId: session.sessionId,
    kind: throttled.account || throttled.ip ? "throttled" : "wrong_password",
    reason: "step-up",
    request,
  });
  if (!throttled.account && !throttled.ip) {
    await recordThrottledFailure(session.user.email, request.ip);
    await countFailure(session.user.id, request, now);
  }
  return false;
}
