import { describe, expect, it } from "vitest";
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode, recoveryCodesFile } from "./recovery-codes";

describe("recovery codes", () => {
  it("makes ten distinct codes of three groups, without look-alike characters", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
  });

  it("reads a code however it is typed, and hashes the normalised form", () => {
    const [code = ""] = newRecoveryCodes();
    const typed = ` ${code.toUpperCase().replace(/-/g, " ")} `;
    expect(normaliseRecoveryCode(typed)).toBe(code.replace(/-/g, ""));
    expect(hashRecoveryCode(normaliseRecoveryCode(typed) ?? "")).toBe(hashRecoveryCode(code.replace(/-/g, "")));
    expect(hashRecoveryCode("abcd")).not.toContain("abcd");
    expect(normaliseRecoveryCode("123456")).toBeNull();
    expect(normaliseRecoveryCode("0000-0000-0000")).toBeNull();
  });

  it("writes the download file with every code", () => {
    const codes = newRecoveryCodes();
    const file = recoveryCodesFile("ada@example.test", codes, new Date("2026-12-05T00:00:00Z"));
    for (const code of codes) expect(file).toContain(code);
    expect(file).toContain("ada@example.test");
  });
});
