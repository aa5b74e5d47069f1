// TOTP (RFC 6238) with otplib: 6 digits, 30-second steps, one step of tolerance either side (a slow typist,
// a clock a few seconds off), and never the same step twice for a user (the caller stores the last step).
import { generateSecret, generateURI, verify } from "otplib";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_ISSUER = "Keyward";

export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, accountLabel: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: accountLabel, secret });
}

/** The secret grouped in fours, for typing into an app by hand. */
export function formatSecretForEntry(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

const codeSchema = /^\d{6}$/;

export function normaliseTotpCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, "");
  return codeSchema.test(code) ? code : null;
}

/**
 * The time step a code belongs to, or null: a code of the current step or either neighbour, and only for a
 * step after `afterStep` (the last one this user used), so an accepted code can never be accepted again.
 */
export async function matchTotpStep(input: {
  secret: string;
  code: string;
  nowMs: number;
  afterStep: number;
}): Promise<number | null> {
  const token = normaliseTotpCode(input.code);
  if (!token) return null;
  const result = await verify({
    secret: input.secret,
    token,
    epoch: Math.floor(input.nowMs / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
    afterTimeStep: input.afterStep,
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}
