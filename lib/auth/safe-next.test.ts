import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

describe("safeNextPath", () => {
  it("keeps local paths", () => {
    expect(safeNextPath("/t/acme/members")).toBe("/t/acme/members");
    expect(safeNextPath("/invite")).toBe("/invite");
  });
  it("refuses other sites and odd forms", () => {
    for (const bad of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "",
      undefined,
    ]) {
      expect(safeNextPath(bad)).toBe("/dashboard");
    }
  });
});
