import { describe, expect, it } from "vitest";
import { formatAge, formatDate } from "./format";

describe("formatAge", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
  it("reads naturally", () => {
    expect(formatAge(ago(0.5), now)).toBe("under a day");
    expect(formatAge(ago(1), now)).toBe("1 day");
    expect(formatAge(ago(12), now)).toBe("12 days");
    expect(formatAge(ago(95), now)).toBe("3 months");
    expect(formatAge(ago(800), now)).toBe("2 years");
  });
  it("formats missing dates with a fallback", () => {
    expect(formatDate(null)).toBe("never");
    expect(formatDate(new Date("2026-01-05T00:00:00Z"))).toBe("Jan 5, 2026");
  });
});
