import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { formatSecretForEntry, matchTotpStep, newTotpSecret, normaliseTotpCode, totpUri } from "./totp";

const secret = newTotpSecret();
// Mid-step, so "one step earlier" is unambiguous whatever the tolerance's edges.
const now = Date.UTC(2026, 11, 5, 12, 0, 15);
const step = Math.floor(now / 1000 / 30);
const codeAt = (s: number) => generate({ secret, epoch: s * 30 + 1 });

describe("matchTotpStep", () => {
  it("accepts the current step and one step either side, nothing further", async () => {
    expect(await matchTotpStep({ secret, code: await codeAt(step), nowMs: now, afterStep: 0 })).toBe(step);
    expect(await matchTotpStep({ secret, code: await codeAt(step - 1), nowMs: now, afterStep: 0 })).toBe(step - 1);
    expect(await matchTotpStep({ secret, code: await codeAt(step + 1), nowMs: now, afterStep: 0 })).toBe(step + 1);
    expect(await matchTotpStep({ secret, code: await codeAt(step - 2), nowMs: now, afterStep: 0 })).toBeNull();
    expect(await matchTotpStep({ secret, code: await codeAt(step + 2), nowMs: now, afterStep: 0 })).toBeNull();
  });

  it("refuses a replay: a code of the last used step, or of any earlier one", async () => {
    const code = await codeAt(step);
    expect(await matchTotpStep({ secret, code, nowMs: now, afterStep: step })).toBeNull();
    expect(await matchTotpStep({ secret, code: await codeAt(step - 1), nowMs: now, afterStep: step - 1 })).toBeNull();
    // The next step is still fine after the current one was used.
    expect(await matchTotpStep({ secret, code: await codeAt(step + 1), nowMs: now, afterStep: step })).toBe(step + 1);
  });

  it("accepts spaces and dashes, refuses anything else", async () => {
    const code = await codeAt(step);
    expect(
      await matchTotpStep({ secret, code: `${code.slice(0, 3)} ${code.slice(3)}`, nowMs: now, afterStep: 0 }),
    ).toBe(step);
    expect(normaliseTotpCode("12345")).toBeNull();
    expect(normaliseTotpCode("abcdef")).toBeNull();
    expect(await matchTotpStep({ secret: newTotpSecret(), code, nowMs: now, afterStep: 0 })).toBeNull();
  });
});

describe("enrolment helpers", () => {
  it("builds an otpauth URI naming Keyward and the account", () => {
    const uri = new URL(totpUri(secret, "ada@example.test"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("Keyward");
    expect(decodeURIComponent(uri.pathname)).toContain("ada@example.test");
  });

  it("groups the secret in fours for typing", () => {
    expect(formatSecretForEntry("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
  });
});
