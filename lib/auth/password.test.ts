import { describe, expect, it } from "vitest";
import { ARGON2_OPTIONS, hashPassword, passwordProblems, verifyPassword } from "./password";

describe("password hashing", () => {
  it("uses argon2id with OWASP's parameters, encoded in the PHC string", async () => {
    const encoded = await hashPassword("correct horse battery staple");
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(ARGON2_OPTIONS).toMatchObject({ algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const encoded = await hashPassword("correct horse battery staple");
    expect(await verifyPassword(encoded, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(encoded, "correct horse battery stapler")).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password twice")).not.toBe(await hashPassword("same password twice"));
  });

  it("treats Unicode-equivalent input as the same password (NFKC)", async () => {
    const encoded = await hashPassword("ﬁnally a ligature pass");
    expect(await verifyPassword(encoded, "finally a ligature pass")).toBe(true);
  });

  it("returns false, not an exception, for a malformed stored hash", async () => {
    expect(await verifyPassword("not-a-hash", "whatever password")).toBe(false);
  });
});

describe("password rules (NIST 800-63B)", () => {
  it("requires 12 characters but no composition rules", () => {
    expect(passwordProblems("short pass")).toEqual(["Use at least 12 characters."]);
    expect(passwordProblems("all lowercase words here")).toEqual([]);
  });

  it("counts characters, not bytes", () => {
    expect(passwordProblems("ééééééééééé")).toEqual(["Use at least 12 characters."]);
  });

  it("refuses common passwords, also with a suffix of digits or symbols", () => {
    expect(passwordProblems("1q2w3e4r5t6y")[0]).toMatch(/too common/);
    expect(passwordProblems("qwerty123456")[0]).toMatch(/too common/);
    expect(passwordProblems("password1234!")[0]).toMatch(/too common/);
    expect(passwordProblems("Sunshine2024!!")[0]).toMatch(/too common/);
  });

  it("refuses repeated and sequential characters", () => {
    expect(passwordProblems("aaaaaaaaaaaa")[0]).toMatch(/repeated or sequential/);
    expect(passwordProblems("xyzxyzxyzxyz")[0]).toMatch(/repeated or sequential/);
    expect(passwordProblems("123456789012")[0]).toMatch(/(repeated or sequential|too common)/);
    expect(passwordProblems("abcdefghijklm")[0]).toMatch(/repeated or sequential/);
  });

  it("refuses the user's own e-mail or the product's name", () => {
    expect(passwordProblems("dana.scully2024", { email: "dana.scully2024@example.com" })).not.toEqual([]);
    expect(passwordProblems("keyward-2026!", {})).not.toEqual([]);
  });

  it("caps the length so hashing cannot be abused", () => {
    expect(passwordProblems("x".repeat(257) + "yz")).toEqual(["Use at most 256 characters."]);
  });
});
