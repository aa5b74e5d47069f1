// Password hashing (argon2id) and the NIST SP 800-63B password rules.
import { readFileSync } from "node:fs";
import path from "node:path";
import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1). Argon2id is algorithm 2 (the package's const enum
// cannot be imported under isolatedModules).
export const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN_LENGTH = 12;
// Long enough for any passphrase, short enough that hashing cannot be used to burn our CPU.
export const PASSWORD_MAX_LENGTH = 256;

// NIST asks to normalise Unicode before hashing so the same password typed differently still matches.
function normalise(password: string): string {
  return password.normalize("NFKC");
}

export function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalise(password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so an unknown e-mail cannot be told apart by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("keyward-timing-equaliser-not-a-password");
  await verifyPassword(await dummyHash, password);
}

let commonPasswords: Set<string> | undefined;

function loadCommonPasswords(): Set<string> {
  if (commonPasswords) return commonPasswords;
  const file = path.join(process.cwd(), "lib", "auth", "common-passwords.txt");
  commonPasswords = new Set(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line && !line.startsWith("#")),
  );
  return commonPasswords;
}

function isRepetitive(p: string): boolean {
  // "aaaaaaaaaaaa", "abcabcabcabc", "passwordpassword": a short unit repeated.
  for (let unit = 1; unit <= p.length / 2; unit++) {
    if (p.length % unit === 0 && p.slice(0, unit).repeat(p.length / unit) === p) return true;
  }
  return false;
}

function isSequential(p: string): boolean {
  // "123456789012", "abcdefghijkl", "987654321098": every step +1 or every step -1 (digits wrap).
  const codes = [...p].map((c) => c.charCodeAt(0));
  const step = (a: number, b: number) => (/\d/.test(String.fromCharCode(a)) ? (b - a + 10) % 10 : b - a);
  const first = step(codes[0] ?? 0, codes[1] ?? 0);
  if (first !== 1 && first !== -1 && first !== 9) return false;
  return codes.slice(1).every((c, i) => step(codes[i] ?? 0, c) === first);
}

export type PasswordContext = { email?: string; name?: string };

/**
 * NIST SP 800-63B: length, not composition. Refuses common, repetitive or sequential passwords and ones
 * built from the user's own e-mail or the product's name. Returns the reasons (empty when acceptable).
 */
export function passwordProblems(password: string, context: PasswordContext = {}): string[] {
  const p = normalise(password);
  const length = [...p].length;
  if (length < PASSWORD_MIN_LENGTH) return [`Use at least ${PASSWORD_MIN_LENGTH} characters.`];
  if (length > PASSWORD_MAX_LENGTH) return [`Use at most ${PASSWORD_MAX_LENGTH} characters.`];
  const lower = p.toLowerCase();
  const common = loadCommonPasswords();
  // "password1234!" is still "password": strip trailing digits and symbols before the list check.
  const stem = lower.replace(/[\d\W_]+$/u, "");
  if (common.has(lower) || (stem.length >= 4 && common.has(stem))) {
    return ["This password is too common. Choose something less predictable."];
  }
  if (isRepetitive(lower) || isSequential(lower)) return ["Avoid repeated or sequential characters."];
  const local = context.email?.split("@")[0]?.toLowerCase();
  const contextWords = ["keyward", local, context.name?.toLowerCase()].filter(
    (w): w is string => typeof w === "string" && w.length >= 4,
  );
  if (contextWords.some((w) => lower.replace(/[\d\W_]+/gu, "") === w.replace(/[\d\W_]+/gu, "") || lower === w)) {
    return ["Don't build your password from your name, e-mail or the product's name."];
  }
  return [];
}
