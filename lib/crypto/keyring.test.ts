import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KeyringError, keyringFromEnv, UnknownKeyVersionError } from "./keyring";

const key1 = randomBytes(32).toString("base64");
const key2 = randomBytes(32).toString("base64");
const key3 = randomBytes(32).toString("base64");

/** The message keyringFromEnv throws, checked never to contain any key given to it. */
function keyringProblem(env: Record<string, string | undefined>): string {
  try {
    keyringFromEnv(env);
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    for (const value of Object.values(env)) {
      for (const part of (value ?? "").split(/[,:]/)) if (part.length >= 8) expect(error.message).not.toContain(part);
    }
    return error.message;
  }
  throw new Error("expected a KeyringError");
}

describe("keyringFromEnv", () => {
  it("defaults the current key to version 1", () => {
    const keyring = keyringFromEnv({ ENCRYPTION_KEY: key1 });
    expect(keyring.currentVersion).toBe(1);
    expect(keyring.versions()).toEqual([1]);
    expect(keyring.has(1)).toBe(true);
    expect(keyring.has(2)).toBe(false);
  });

  it("holds the current key and every previous one, in version order", () => {
    const keyring = keyringFromEnv({
      ENCRYPTION_KEY: key3,
      ENCRYPTION_KEY_VERSION: "3",
      ENCRYPTION_KEY_PREVIOUS: ` 2:${key2} , 1:${key1}`,
    });
    expect(keyring.currentVersion).toBe(3);
    expect(keyring.versions()).toEqual([1, 2, 3]);
    expect(keyring.key(1)).toHaveLength(32);
  });

  it("derives the AES keys with HKDF: never the raw master, and different per version", () => {
    const master = Buffer.from(key1, "base64");
    const asV1 = keyringFromEnv({ ENCRYPTION_KEY: key1 }).key(1);
    const asV2 = keyringFromEnv({ ENCRYPTION_KEY: key1, ENCRYPTION_KEY_VERSION: "2" }).key(2);
    expect(asV1.equals(master)).toBe(false);
    expect(asV1.equals(asV2)).toBe(false);
    // Deterministic: the same master and version always give the same key (or stored data would be lost).
    expect(keyringFromEnv({ ENCRYPTION_KEY: key1 }).key(1).equals(asV1)).toBe(true);
  });

  it("throws UnknownKeyVersionError naming the version", () => {
    const keyring = keyringFromEnv({ ENCRYPTION_KEY: key1 });
    expect(() => keyring.key(7)).toThrow(UnknownKeyVersionError);
    expect(() => keyring.key(7)).toThrow(/version 7 is not in the keyring/);
  });

  it("names a missing or malformed ENCRYPTION_KEY without echoing it", () => {
    expect(keyringProblem({})).toContain("ENCRYPTION_KEY is missing");
    expect(keyringProblem({ ENCRYPTION_KEY: "" })).toContain("ENCRYPTION_KEY is missing");
    expect(keyringProblem({ ENCRYPTION_KEY: randomBytes(16).toString("base64") })).toContain(
      "ENCRYPTION_KEY must be 32 random bytes",
    );
    expect(keyringProblem({ ENCRYPTION_KEY: `${key1.slice(0, 20)}!!${key1.slice(22)}` })).toContain(
      "ENCRYPTION_KEY must be 32 random bytes",
    );
  });

  it("accepts only positive integer versions", () => {
    for (const bad of ["0", "-1", "1.5", "v2", "0x10", "1e3", "two"]) {
      expect(keyringProblem({ ENCRYPTION_KEY: key1, ENCRYPTION_KEY_VERSION: bad })).toContain(
        "ENCRYPTION_KEY_VERSION must be a positive integer",
      );
    }
  });

  it("names a malformed ENCRYPTION_KEY_PREVIOUS entry by position, never by content", () => {
    const message = keyringProblem({
      ENCRYPTION_KEY: key2,
      ENCRYPTION_KEY_VERSION: "2",
      ENCRYPTION_KEY_PREVIOUS: `1:${key1},${key3}`,
    });
    expect(message).toContain("ENCRYPTION_KEY_PREVIOUS entry 2 must look like <version>:<base64 key>");
    expect(
      keyringProblem({
        ENCRYPTION_KEY: key2,
        ENCRYPTION_KEY_VERSION: "2",
        ENCRYPTION_KEY_PREVIOUS: `1:${key1.slice(0, 30)}`,
      }),
    ).toContain("entry 1 must look like");
    expect(
      keyringProblem({ ENCRYPTION_KEY: key2, ENCRYPTION_KEY_VERSION: "2", ENCRYPTION_KEY_PREVIOUS: " , " }),
    ).toContain("ENCRYPTION_KEY_PREVIOUS has no <version>:<base64 key> entry");
  });

  it("refuses duplicate versions, a previous entry with the current version, and one key under two versions", () => {
    const env = { ENCRYPTION_KEY: key3, ENCRYPTION_KEY_VERSION: "3" };
    expect(keyringProblem({ ...env, ENCRYPTION_KEY_PREVIOUS: `1:${key1},1:${key2}` })).toContain(
      "ENCRYPTION_KEY_PREVIOUS lists version 1 more than once",
    );
    expect(keyringProblem({ ...env, ENCRYPTION_KEY_PREVIOUS: `3:${key2}` })).toContain(
      "ENCRYPTION_KEY_PREVIOUS lists version 3, which is ENCRYPTION_KEY_VERSION",
    );
    expect(keyringProblem({ ...env, ENCRYPTION_KEY_PREVIOUS: `2:${key3}` })).toContain(
      "holds the same key for versions 3 and 2",
    );
    expect(keyringProblem({ ...env, ENCRYPTION_KEY_PREVIOUS: `1:${key1},2:${key1}` })).toContain(
      "holds the same key for versions 1 and 2",
    );
  });
});
