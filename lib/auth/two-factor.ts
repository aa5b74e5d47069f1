// TOTP 2FA for a user: enrolment (off until a code confirms it), verification (one conditional UPDATE per
// accepted step, so a code can never pass twice, not even in two parallel requests), recovery codes, turning
// it off. The secret is encrypted with the vault's cipher, bound to the user (purpose totp_secret).
import { AppError } from "@/lib/api/errors";
import { recordSignInEvent } from "@/lib/auth/sign-in-events";
import { countFailure } from "@/lib/auth/lockout";
import { verifyPassword } from "@/lib/auth/password";
import { recordThrottledFailure, throttleState } from "@/lib/auth/throttle";
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from "@/lib/auth/recovery-codes";
import { matchTotpStep, newTotpSecret, normaliseTotpCode, totpUri } from "@/lib/auth/totp";
import type { RequestContext } from "@/lib/audit/record";
import { decryptSecret, encryptSecret, type SecretBinding } from "@/lib/crypto/cipher";
import { db, type Tx } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { publishTwoFactorChange } from "@/lib/teams/two-factor-policy";

export const TWO_FACTOR_ERRORS = {
  wrongPassword: "The password is not correct.",
  wrongCode: "That code is not valid. Enter the current 6-digit code from your app, or a recovery code.",
  alreadyOn: "Two-factor authentication is already on.",
  notStarted: "Start the set-up again: no secret is waiting for confirmation.",
  notOn: "Two-factor authentication is not on.",
} as const;

function binding(userId: string): SecretBinding {
  return { purpose: "totp_secret", teamId: null, rowId: userId };
}

export type Clock = () => number;

export type EnrolmentStart = { secret: string; uri: string };

const NO_REQUEST: RequestContext = { ip: null, userAgent: null };

/**
 * A password or code re-entered in a live session counts like a sign-in attempt: a stolen session cannot be
 * used to guess the password (or codes) at leisure. Throttled → refused unchecked; wrong → one more failure.
 */
async function checkedAgain(
  user: { id: string; email: string },
  check: () => Promise<boolean>,
  request: RequestContext,
): Promise<boolean> {
  if ((await throttleState(user.email, request.ip)).account) return false;
  if (await check()) return true;
  await recordThrottledFailure(user.email, request.ip);
  await countFailure(user.id, request);
  return false;
}

/** Step 1: a new secret, stored encrypted but not yet in force. Re-checks the password (documenso). */
export async function beginTotpEnrolment(
  userId: string,
  password: string,
  request: RequestContext = NO_REQUEST,
): Promise<EnrolmentStart> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  if (user.totpEnabledAt) throw new AppError("conflict", TWO_FACTOR_ERRORS.alreadyOn);
  if (!(await checkedAgain(user, () => verifyPassword(user.passwordHash, password), request)))
    throw new AppError("unprocessable", TWO_FACTOR_ERRORS.wrongPassword, {
      password: [TWO_FACTOR_ERRORS.wrongPassword],
    });
  const secret = newTotpSecret();
  await db().user.update({
    where: { id: userId, totpEnabledAt: null },
    data: { encryptedTotpSecret: encryptSecret(secret, binding(userId)), totpLastStep: 0 },
  });
  return { secret, uri: totpUri(secret, user.email) };
}

/** The pending secret again (the page was reloaded between the two steps). */
export async function pendingEnrolment(userId: string): Promise<EnrolmentStart | null> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  if (user.totpEnabledAt || !user.encryptedTotpSecret) return null;
  const secret = decryptSecret(user.encryptedTotpSecret, binding(userId));
  return { secret, uri: totpUri(secret, user.email) };
}

async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({
    data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(normaliseRecoveryCode(code) ?? code) })),
  });
  return codes;
}

/** Advances the user's last TOTP step to `step` if it is later: true for exactly one caller per step. */
async function claimStep(client: Tx | ReturnType<typeof db>, userId: string, step: number): Promise<boolean> {
  const { count } = await client.user.updateMany({
    where: { id: userId, totpLastStep: { lt: step } },
    data: { totpLastStep: step },
  });
  return count === 1;
}

async function matchCode(userId: string, code: string, now: number): Promise<number | null> {
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { encryptedTotpSecret: true, totpLastStep: true },
  });
  if (!user.encryptedTotpSecret) return null;
  const secret = decryptSecret(user.encryptedTotpSecret, binding(userId));
  return matchTotpStep({ secret, code, nowMs: now, afterStep: user.totpLastStep });
}

/** Step 2: a code from the app turns 2FA on; returns the ten recovery codes, shown once. */
export async function confirmTotpEnrolment(
  userId: string,
  code: string,
  request: RequestContext,
  clock: Clock = Date.now,
): Promise<string[]> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  if (user.totpEnabledAt) throw new AppError("conflict", TWO_FACTOR_ERRORS.alreadyOn);
  if (!user.encryptedTotpSecret) throw new AppError("unprocessable", TWO_FACTOR_ERRORS.notStarted);
  const step = await matchCode(userId, code, clock());
  const wrong = () =>
    new AppError("unprocessable", TWO_FACTOR_ERRORS.wrongCode, { code: [TWO_FACTOR_ERRORS.wrongCode] });
  if (step === null) throw wrong();
  const codes = await transaction(async (tx) => {
    if (!(await claimStep(tx, userId, step))) throw wrong();
    await tx.user.update({ where: { id: userId }, data: { totpEnabledAt: new Date(clock()) } });
    await recordSignInEvent(tx, { userId, kind: "totp_enabled", request });
    await publishTwoFactorChange(tx, userId);
    return replaceRecoveryCodes(tx, userId);
  });
  return codes;
}

export type SecondFactorResult =
  { ok: true; method: "totp" } | { ok: true; method: "recovery_code"; remaining: number } | { ok: false };

/**
 * Checks a TOTP code or a recovery code for a user with 2FA on. A TOTP step is claimed with one conditional
 * UPDATE and a recovery code is spent with one, so of two parallel submissions exactly one passes.
 */
export async function verifySecondFactor(
  userId: string,
  input: string,
  clock: Clock = Date.now,
): Promise<SecondFactorResult> {
  if (normaliseTotpCode(input)) {
    const step = await matchCode(userId, input, clock());
    if (step !== null && (await claimStep(db(), userId, step))) return { ok: true, method: "totp" };
    return { ok: false };
  }
  const recovery = normaliseRecoveryCode(input);
  if (!recovery) return { ok: false };
  const { count } = await db().recoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(recovery), usedAt: null },
    data: { usedAt: new Date(clock()) },
  });
  if (count !== 1) return { ok: false };
  const remaining = await db().recoveryCode.count({ where: { userId, usedAt: null } });
  return { ok: true, method: "recovery_code", remaining };
}

async function checkPasswordAndCode(
  userId: string,
  password: string,
  code: string,
  clock: Clock,
  request: RequestContext,
): Promise<void> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  if (!user.totpEnabledAt) throw new AppError("conflict", TWO_FACTOR_ERRORS.notOn);
  if (!(await checkedAgain(user, () => verifyPassword(user.passwordHash, password), request)))
    throw new AppError("unprocessable", TWO_FACTOR_ERRORS.wrongPassword, {
      password: [TWO_FACTOR_ERRORS.wrongPassword],
    });
  const ok = await checkedAgain(user, async () => (await verifySecondFactor(userId, code, clock)).ok, request);
  if (!ok) throw new AppError("unprocessable", TWO_FACTOR_ERRORS.wrongCode, { code: [TWO_FACTOR_ERRORS.wrongCode] });
}

/** A fresh set of ten codes; the old ones stop working. Needs the password and a current code. */
export async function regenerateRecoveryCodes(
  userId: string,
  input: { password: string; code: string },
  request: RequestContext,
  clock: Clock = Date.now,
): Promise<string[]> {
  await checkPasswordAndCode(userId, input.password, input.code, clock, request);
  return transaction(async (tx) => {
    await recordSignInEvent(tx, { userId, kind: "recovery_codes_regenerated", request });
    return replaceRecoveryCodes(tx, userId);
  });
}

/** Removes the secret and the codes, in one transaction with its event. */
export async function clearTwoFactor(tx: Tx, userId: string): Promise<void> {
  await tx.user.update({
    where: { id: userId },
    data: { encryptedTotpSecret: null, totpEnabledAt: null, totpLastStep: 0 },
  });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await publishTwoFactorChange(tx, userId);
}

/** Turning 2FA off needs the password and a current code (or a recovery code). */
export async function disableTotp(
  userId: string,
  input: { password: string; code: string },
  request: RequestContext,
  clock: Clock = Date.now,
): Promise<void> {
  await checkPasswordAndCode(userId, input.password, input.code, clock, request);
  await transaction(async (tx) => {
    await clearTwoFactor(tx, userId);
    await recordSignInEvent(tx, { userId, kind: "totp_disabled", request });
  });
}

export type TwoFactorStatus = { enabled: boolean; enabledAt: Date | null; recoveryCodesLeft: number };

export async function twoFactorStatus(userId: string): Promise<TwoFactorStatus> {
  const [user, left] = await Promise.all([
    db().user.findUniqueOrThrow({ where: { id: userId }, select: { totpEnabledAt: true } }),
    db().recoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return {
    enabled: user.totpEnabledAt !== null,
    enabledAt: user.totpEnabledAt,
    recoveryCodesLeft: user.totpEnabledAt ? left : 0,
  };
}
