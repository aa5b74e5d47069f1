import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ciphertextVersion,
  DecryptionError,
  decryptSecret,
  encryptSecret,
  UnknownKeyVersionError,
  type SecretBinding,
} from "./cipher";
import { keyringFromEnv } from "./keyring";

const key1 = randomBytes(32).toString("base64");
const key2 = randomBytes(32).toString("base64");
const v1 = keyringFromEnv({ ENCRYPTION_KEY: key1 });
const v2 = keyringFromEnv({ ENCRYPTION_KEY: key2, ENCRYPTION_KEY_VERSION: "2", ENCRYPTION_KEY_PREVIOUS: `1:${key1}` });
const binding: SecretBinding = { purpose: "upstream_key", teamId: randomUUID(), rowId: randomUUID() };
const secret = "sk-proj-" + randomBytes(24).toString("base64url");

/** Flips one bit of one byte in part `index` (1 = IV, 2 = ciphertext, 3 = tag) of "v1.<iv>.<ct>.<tag>". */
function tamper(ciphertext: string, index: 1 | 2 | 3, byte = 0): string {
  const parts = ciphertext.split(".");
  const bytes = Buffer.from(parts[index] ?? "", "base64url");
  bytes[byte] = (bytes[byte] ?? 0) ^ 0x01;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
}

function decryptionErrorOf(fn: () => unknown): DecryptionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecryptionError) return error;
    throw error;
  }
  throw new Error("expected a DecryptionError");
}

describe("encryptSecret / decryptSecret", () => {
  it("round-trips, unicode and the empty string included", () => {
    for (const plaintext of [secret, "", "clé 🔑 ключ 鍵 \u0000 end", "x".repeat(10_000)]) {
      expect(decryptSecret(encryptSecret(plaintext, binding, v1), binding, v1)).toBe(plaintext);
    }
  });

  it("writes v<version>.<iv>.<ciphertext>.<tag> with a 96-bit IV and a 128-bit tag, the current version by default", () => {
    const ciphertext = encryptSecret(secret, binding, v2);
    const [version, iv, body, tag] = ciphertext.split(".");
    expect(version).toBe("v2");
    expect(Buffer.from(iv ?? "", "base64url")).toHaveLength(12);
    expect(Buffer.from(body ?? "", "base64url")).toHaveLength(Buffer.byteLength(secret));
    expect(Buffer.from(tag ?? "", "base64url")).toHaveLength(16);
    expect(ciphertextVersion(ciphertext)).toBe(2);
    expect(ciphertextVersion(encryptSecret(secret, binding, v2, 1))).toBe(1);
    expect(ciphertext).not.toContain(secret);
  });

  it("uses a fresh IV for every encryption", () => {
    const a = encryptSecret(secret, binding, v1);
    const b = encryptSecret(secret, binding, v1);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("refuses a single flipped bit in the IV, the ciphertext or the tag", () => {
    const ciphertext = encryptSecret(secret, binding, v1);
    for (const index of [1, 2, 3] as const) {
      for (const byte of [0, 5, 11]) {
        expect(() => decryptSecret(tamper(ciphertext, index, byte), binding, v1)).toThrow(DecryptionError);
      }
    }
  });

  it("refuses a truncated tag, a missing part and anything that is not a Keyward ciphertext", () => {
    const ciphertext = encryptSecret(secret, binding, v1);
    const [version, iv, body, tag] = ciphertext.split(".");
    const shortTag = Buffer.from(tag ?? "", "base64url")
      .subarray(0, 12)
      .toString("base64url");
    for (const bad of [
      `${version}.${iv}.${body}.${shortTag}`,
      `${version}.${iv}.${body}`,
      `${version}.${iv}.${body}.`,
      secret,
      "",
      "v0.a.b.c",
    ]) {
      expect(() => decryptSecret(bad, binding, v1)).toThrow(DecryptionError);
    }
    expect(() => ciphertextVersion("not-a-ciphertext")).toThrow(DecryptionError);
  });

  it("refuses the ciphertext under another team, row or purpose (associated data)", () => {
    const ciphertext = encryptSecret(secret, binding, v1);
    const others: SecretBinding[] = [
      { ...binding, teamId: randomUUID() },
      { ...binding, teamId: null },
      { ...binding, rowId: randomUUID() },
      { ...binding, purpose: "totp_secret" },
    ];
    for (const other of others) expect(() => decryptSecret(ciphertext, other, v1)).toThrow(DecryptionError);
  });

  it("says nothing about the secret, the ciphertext or the key when it fails", () => {
    const ciphertext = encryptSecret(secret, binding, v1);
    const error = decryptionErrorOf(() => decryptSecret(ciphertext, { ...binding, rowId: randomUUID() }, v1));
    const text = `${error.message} ${error.stack ?? ""} ${JSON.stringify(error)}`;
    for (const leak of [secret, ciphertext, ...ciphertext.split("."), key1])
      if (leak.length > 3) expect(text).not.toContain(leak);
  });

  it("refuses the wrong key of the right version", () => {
    const impostor = keyringFromEnv({ ENCRYPTION_KEY: randomBytes(32).toString("base64") });
    expect(() => decryptSecret(encryptSecret(secret, binding, v1), binding, impostor)).toThrow(DecryptionError);
  });

  it("names an unknown version instead of failing quietly", () => {
    const fromV2 = encryptSecret(secret, binding, v2);
    let caught: unknown;
    try {
      decryptSecret(fromV2, binding, v1);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownKeyVersionError);
    expect((caught as UnknownKeyVersionError).version).toBe(2);
    expect((caught as Error).message).toContain("version 2");
    expect(() => encryptSecret(secret, binding, v1, 9)).toThrow(UnknownKeyVersionError);
  });

  it("decrypts what a previous key wrote, and a rewritten version prefix does not fool it", () => {
    const old = encryptSecret(secret, binding, v1);
    expect(decryptSecret(old, binding, v2)).toBe(secret);
    expect(() => decryptSecret(old.replace(/^v1\./, "v2."), binding, v2)).toThrow(DecryptionError);
  });
});
