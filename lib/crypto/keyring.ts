// The master keys that encrypt stored secrets, from the environment: ENCRYPTION_KEY (current, version
// ENCRYPTION_KEY_VERSION) plus ENCRYPTION_KEY_PREVIOUS ("<version>:<base64 key>,…") so that ciphertexts
// written under older keys stay readable until `keyward migrate-keys` has moved them to the current one.
import { createHash, hkdfSync } from "node:crypto";
import { z } from "zod";

export type Keyring = {
  /** The version new ciphertexts are written with. */
  currentVersion: number;
  /** Every version this keyring can decrypt, ascending. */
  versions(): number[];
  /** The AES-256 key derived for `version`; throws UnknownKeyVersionError. */
  key(version: number): Buffer;
  has(version: number): boolean;
};

export class UnknownKeyVersionError extends Error {
  constructor(readonly version: number) {
    super(`Encryption key version ${version} is not in the keyring (ENCRYPTION_KEY / ENCRYPTION_KEY_PREVIOUS).`);
    this.name = "UnknownKeyVersionError";
  }
}

/** The configured keys are unusable or do not match what is stored. Printed as is: it never holds key material. */
export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyringError";
  }
}

const MASTER_KEY_MESSAGE = "must be 32 random bytes, base64-encoded";

/** A master key: 32 bytes in base64 (or base64url). Returns null when it is not one. */
export function decodeMasterKey(value: string): Buffer | null {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return null;
  const bytes = Buffer.from(trimmed, "base64");
  return bytes.length === 32 ? bytes : null;
}

/** A key version: a positive integer in plain digits (no "0x10", "1e3" or "v2"). */
export const keyVersionSchema = z
  .string()
  .trim()
  .regex(/^[1-9][0-9]{0,8}$/, "must be a positive integer (the version of ENCRYPTION_KEY)")
  .transform(Number);

export type PreviousKey = { version: number; master: Buffer };

/** ENCRYPTION_KEY_PREVIOUS: "<version>:<base64 key>" entries, comma-separated. Issues never quote an entry. */
export const previousKeysSchema = z.string().transform((value, ctx): PreviousKey[] => {
  const keys: PreviousKey[] = [];
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  entries.forEach((entry, index) => {
    const match = /^([1-9][0-9]{0,8}):(.+)$/.exec(entry);
    const master = match?.[2] === undefined ? null : decodeMasterKey(match[2]);
    if (!match || !master) {
      ctx.addIssue({
        code: "custom",
        message: `entry ${index + 1} must look like <version>:<base64 key> (a positive integer, then 32 random bytes in base64)`,
      });
      return;
    }
    const version = Number(match[1]);
    if (keys.some((key) => key.version === version)) {
      ctx.addIssue({ code: "custom", message: `lists version ${version} more than once` });
      return;
    }
    keys.push({ version, master });
  });
  if (entries.length === 0) ctx.addIssue({ code: "custom", message: "has no <version>:<base64 key> entry" });
  return keys;
});

type KeyringSettings = {
  ENCRYPTION_KEY: string;
  ENCRYPTION_KEY_VERSION: number;
  ENCRYPTION_KEY_PREVIOUS?: PreviousKey[];
};

function fingerprint(master: Buffer): string {
  return createHash("sha256").update(master).digest("hex");
}

/**
 * Rules that span the three variables, shared by lib/env.ts (start-up) and keyringFromEnv: the current
 * version cannot also be a previous one, and no two versions may hold the same key (a rotation that forgot
 * to change the key would otherwise look done).
 */
export function checkKeyringSettings(settings: KeyringSettings, ctx: z.RefinementCtx): void {
  const current = decodeMasterKey(settings.ENCRYPTION_KEY);
  const seen = new Map<string, number>();
  if (current) seen.set(fingerprint(current), settings.ENCRYPTION_KEY_VERSION);
  for (const { version, master } of settings.ENCRYPTION_KEY_PREVIOUS ?? []) {
    if (version === settings.ENCRYPTION_KEY_VERSION) {
      ctx.addIssue({
        code: "custom",
        path: ["ENCRYPTION_KEY_PREVIOUS"],
        message: `lists version ${version}, which is ENCRYPTION_KEY_VERSION (the current key)`,
      });
      continue;
    }
    const other = seen.get(fingerprint(master));
    if (other !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["ENCRYPTION_KEY_PREVIOUS"],
        message: `holds the same key for versions ${other} and ${version}`,
      });
    }
    seen.set(fingerprint(master), version);
  }
}

const keyringEnvSchema = z
  .object({
    ENCRYPTION_KEY: z.string().refine((value) => decodeMasterKey(value) !== null, MASTER_KEY_MESSAGE),
    ENCRYPTION_KEY_VERSION: keyVersionSchema.default(1),
    ENCRYPTION_KEY_PREVIOUS: previousKeysSchema.optional(),
  })
  .superRefine(checkKeyringSettings);

// Domain separation: the AES key for version N is HKDF(master, info), never the master itself, so the same
// master can never be reused as-is by another algorithm or another version.
function deriveAesKey(master: Buffer, version: number): Buffer {
  return Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), `keyward aes-256-gcm v${version}`, 32));
}

/** The keyring an environment describes. Errors name the variable, never its value. */
export function keyringFromEnv(env: Record<string, string | undefined>): Keyring {
  const source = {
    ENCRYPTION_KEY: env.ENCRYPTION_KEY || undefined,
    ENCRYPTION_KEY_VERSION: env.ENCRYPTION_KEY_VERSION || undefined,
    ENCRYPTION_KEY_PREVIOUS: env.ENCRYPTION_KEY_PREVIOUS || undefined,
  };
  const parsed = keyringEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join(".");
      return issue.code === "invalid_type" && issue.input === undefined
        ? `${name} is missing`
        : `${name} ${issue.message}`;
    });
    throw new KeyringError(`Invalid encryption keys:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  const { ENCRYPTION_KEY, ENCRYPTION_KEY_VERSION: currentVersion, ENCRYPTION_KEY_PREVIOUS = [] } = parsed.data;
  const current = decodeMasterKey(ENCRYPTION_KEY);
  if (!current) throw new KeyringError(`ENCRYPTION_KEY ${MASTER_KEY_MESSAGE}`); // the schema refused it already
  const keys = new Map<number, Buffer>([[currentVersion, deriveAesKey(current, currentVersion)]]);
  for (const { version, master } of ENCRYPTION_KEY_PREVIOUS) keys.set(version, deriveAesKey(master, version));
  const versions = [...keys.keys()].sort((a, b) => a - b);
  return {
    currentVersion,
    versions: () => [...versions],
    has: (version) => keys.has(version),
    key(version) {
      const key = keys.get(version);
      if (!key) throw new UnknownKeyVersionError(version);
      return key;
    },
  };
}

let cached: Keyring | undefined;

/** The process's keyring, built on first use (after start-up has filled ENCRYPTION_KEY for the embedded default). */
export function appKeyring(): Keyring {
  cached ??= keyringFromEnv(process.env);
  return cached;
}
