// safeText and isCalendarDate: the shared refusals behind "a NUL in a name is a field error, not a 500".
import { describe, expect, it } from "vitest";
import { hasControlCharacters, isCalendarDate, NO_CONTROL_CHARACTERS, safeText } from "./text";

describe("safeText", () => {
  it("refuses NUL and the other control characters, and keeps ordinary text, accents and emoji", () => {
    for (const bad of ["a\u0000b", "\u0000", "a\tb", "line\nbreak", "\u007f", "\u009b"]) {
      const parsed = safeText().safeParse(bad);
      expect(parsed.error?.issues[0]?.message, JSON.stringify(bad)).toBe(NO_CONTROL_CHARACTERS);
    }
    for (const good of ["Ada Lovelace", "Zoë's team", "日本語", "rocket 🚀", ""]) {
      expect(safeText().safeParse(good).success, good).toBe(true);
    }
    expect(hasControlCharacters("%00")).toBe(false); // a literal "%00" is text; only a decoded NUL is refused
  });

  it("chains like z.string()", () => {
    expect(safeText().trim().min(2).safeParse("  ab  ").data).toBe("ab");
    expect(safeText().trim().min(2).safeParse(" a ").success).toBe(false);
  });
});

describe("isCalendarDate", () => {
  it("accepts real days only", () => {
    for (const day of ["2026-02-28", "2028-02-29", "2026-12-31"]) expect(isCalendarDate(day), day).toBe(true);
    for (const day of [
      "2026-02-29",
      "2026-02-31",
      "2026-04-31",
      "2026-13-01",
      "abc",
      "2026-1-1",
      "2026-01-01T00:00Z",
      "",
    ]) {
      expect(isCalendarDate(day), day).toBe(false);
    }
  });
});
