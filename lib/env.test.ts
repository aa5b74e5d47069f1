import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, sessionIdleMinutes } from "./env";

const valid = {
  AUTH_SECRET: randomBytes(32).toString("base64"),
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
};

function problems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseEnv", () => {
  it("applies documented defaults", () => {
    const env = parseEnv(valid);
    expect(env).toMatchObject({
      DATA_DIR: ".data",
      PORT: 3000,
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      APP_URL: "http://localhost:3000",
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.EMBEDDED_PG_PORT).toBeUndefined();
  });

  it("derives APP_URL from PORT unless it is set", () => {
    expect(parseEnv({ ...valid, PORT: "4123" }).APP_URL).toBe("http://localhost:4123");
    expect(parseEnv({ ...valid, PORT: "4123", APP_URL: "https://keys.example.com" }).APP_URL).toBe(
      "https://keys.example.com",
    );
  });

  it("names every missing secret", () => {
    expect(problems({})).toEqual(["AUTH_SECRET is missing", "ENCRYPTION_KEY is missing"]);
    expect(problems({ AUTH_SECRET: valid.AUTH_SECRET, DATABASE_URL: "postgres://db/keyward" })).toEqual([
      "ENCRYPTION_KEY is missing",
    ]);
  });

  it("treats empty values as unset", () => {
    expect(problems({ ...valid, ENCRYPTION_KEY: "" })).toEqual(["ENCRYPTION_KEY is missing"]);
  });

  it("requires ENCRYPTION_KEY to be exactly 32 bytes and never echoes the value", () => {
    const short = randomBytes(16).toString("base64");
    const [problem] = problems({ ...valid, ENCRYPTION_KEY: short });
    expect(problem).toBe("ENCRYPTION_KEY must be 32 random bytes, base64-encoded");
    expect(problem).not.toContain(short);
  });

  it("refuses malformed URLs and ports with the variable's name", () => {
    expect(problems({ ...valid, DATABASE_URL: "mysql://x/y" })[0]).toMatch(/^DATABASE_URL /);
    expect(problems({ ...valid, PORT: "http" })[0]).toMatch(/^PORT /);
    expect(problems({ ...valid, SMTP_URL: "not a url" })[0]).toMatch(/^SMTP_URL /);
  });

  it("validates the key-rotation variables at start-up, naming them and never echoing a key", () => {
    expect(parseEnv(valid).ENCRYPTION_KEY_VERSION).toBe(1);
    const older = randomBytes(32).toString("base64");
    const env = parseEnv({ ...valid, ENCRYPTION_KEY_VERSION: "2", ENCRYPTION_KEY_PREVIOUS: `1:${older}` });
    expect(env.ENCRYPTION_KEY_VERSION).toBe(2);
    expect(env.ENCRYPTION_KEY_PREVIOUS?.map((k) => k.version)).toEqual([1]);

    expect(problems({ ...valid, ENCRYPTION_KEY_VERSION: "0" })).toEqual([
      "ENCRYPTION_KEY_VERSION must be a positive integer (the version of ENCRYPTION_KEY)",
    ]);
    const [malformed] = problems({ ...valid, ENCRYPTION_KEY_VERSION: "2", ENCRYPTION_KEY_PREVIOUS: older });
    expect(malformed).toMatch(/^ENCRYPTION_KEY_PREVIOUS entry 1 must look like <version>:<base64 key>/);
    expect(malformed).not.toContain(older);
    expect(problems({ ...valid, ENCRYPTION_KEY_PREVIOUS: `1:${older}` })).toEqual([
      "ENCRYPTION_KEY_PREVIOUS lists version 1, which is ENCRYPTION_KEY_VERSION (the current key)",
    ]);
  });
});

describe("sessionIdleMinutes", () => {
  it("reads SESSION_IDLE_MINUTES without needing the secrets, and falls back to 30", () => {
    expect(sessionIdleMinutes({})).toBe(30);
    expect(sessionIdleMinutes({ SESSION_IDLE_MINUTES: "15" })).toBe(15);
    expect(sessionIdleMinutes({ SESSION_IDLE_MINUTES: "" })).toBe(30);
    expect(sessionIdleMinutes({ SESSION_IDLE_MINUTES: "1" })).toBe(30); // below the minimum: parseEnv reports it
    expect(() => parseEnv({ SESSION_IDLE_MINUTES: "1" })).toThrow(/SESSION_IDLE_MINUTES/);
  });
});
