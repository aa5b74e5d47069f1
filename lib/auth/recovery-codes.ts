// 2FA recovery codes: ten per user, shown once, stored as SHA-256 hashes of their normalised form (60 random
// bits each, so a hash is no shortcut), each good for one sign-in. A new set replaces the old one entirely.
import { randomInt } from "node:crypto";
import { sha256Hex } from "@/lib/crypto/tokens";

export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: codes are read off paper.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const GROUPS = 3;
const GROUP_LENGTH = 4;

export function newRecoveryCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = "";
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join("-");
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/** Lower-case, separators and spaces dropped: "ABCD EFGH-jkmn" and "abcd-efgh-jkmn" are the same code. */
export function normaliseRecoveryCode(input: string): string | null {
  const compact = input.toLowerCase().replace(/[\s-]/g, "");
  if (compact.length !== GROUPS * GROUP_LENGTH) return null;
  for (const c of compact) if (!ALPHABET.includes(c)) return null;
  return compact;
}

export function hashRecoveryCode(normalised: string): string {
  return sha256Hex(`keyward-recovery-code:${normalised}`);
}

/** The text file offered for download next to the codes. */
export function recoveryCodesFile(email: string, codes: string[], now: Date): string {
  return [
    `Keyward recovery codes for ${email}`,
    `Generated ${now.toISOString()}. Each code works once; a new set replaces this one.`,
    "",
    ...codes,
    "",
  ].join("\n");
}
