// Encryption at rest for stored secrets (upstream OpenAI keys, TOTP secrets): AES-256-GCM with a random
// 96-bit IV and a full 128-bit tag, "v<version>.<iv>.<ciphertext>.<tag>" (base64url). The version picks the
// key on decryption, so keys can rotate without a flag day. Associated data binds each ciphertext to its
// purpose, team and row: copying it into another row or team makes it undecryptable instead of usable.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { appKeyring, UnknownKeyVersionError, type Keyring } from "./keyring";

export { UnknownKeyVersionError };

export type SecretPurpose = "upstream_key" | "totp_secret" | "audit_webhook_secret" | "openai_admin_key";

export type SecretBinding = { purpose: SecretPurpose; teamId: string | null; rowId: string };

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Deliberately says nothing else: no plaintext, ciphertext, key or which check failed. */
export class DecryptionError extends Error {
  constructor() {
    super("The stored secret could not be decrypted (wrong key, wrong row, or damaged data).");
    this.name = "DecryptionError";
  }
}

// 12 bytes are 16 base64url characters and 16 bytes are 22: anything else is not ours, or truncated.
const FORMAT = /^v([1-9][0-9]{0,8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{22})$/;

type Parts = { version: number; iv: Buffer; body: Buffer; tag: Buffer };

function parse(ciphertext: string): Parts {
  const match = FORMAT.exec(ciphertext);
  if (!match) throw new DecryptionError();
  const [, version = "", iv = "", body = "", tag = ""] = match;
  return {
    version: Number(version),
    iv: Buffer.from(iv, "base64url"),
    body: Buffer.from(body, "base64url"),
    tag: Buffer.from(tag, "base64url"),
  };
}

// JSON of a fixed-order array: unambiguous (no "a|b" + "c" vs "a" + "b|c"), and the version is bound too.
function associatedData(binding: SecretBinding, version: number): Buffer {
  return Buffer.from(JSON.stringify(["keyward", version, binding.purpose, binding.teamId, binding.rowId]), "utf8");
}

/** Encrypts with `version` (the keyring's current one unless re-encrypting to another). */
export function encryptSecret(
  plaintext: string,
  binding: SecretBinding,
  keyring: Keyring = appKeyring(),
  version: number = keyring.currentVersion,
): string {
  const key = keyring.key(version);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(binding, version));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `v${version}.${iv.toString("base64url")}.${body.toString("base64url")}.${tag.toString("base64url")}`;
}

/** Decrypts with the key its version names. Throws UnknownKeyVersionError or DecryptionError, never returns null. */
export function decryptSecret(ciphertext: string, binding: SecretBinding, keyring: Keyring = appKeyring()): string {
  const { version, iv, body, tag } = parse(ciphertext);
  const key = keyring.key(version);
  try {
    // authTagLength pins the tag to 16 bytes: Node would otherwise accept a truncated tag.
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(binding, version));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError();
  }
}

/** The key version a ciphertext was written with. Throws DecryptionError when it is not a Keyward ciphertext. */
export function ciphertextVersion(ciphertext: string): number {
  return parse(ciphertext).version;
}
