import { describe, expect, it } from "vitest";
import { formatAge, formatDate, formatDateTime, formatDateWithAge } from "./date";

const now = new Date("2026-11-23T12:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);

describe("formatAge", () => {
  it("reads naturally at each unit", () => {
    expect(formatAge(ago(0.5), now)).toBe("under a day");
    expect(formatAge(ago(1), now)).toBe("1 day");
    expect(formatAge(ago(12), now)).toBe("12 days");
    expect(formatAge(ago(59), now)).toBe("59 days");
    expect(formatAge(ago(60), now)).toBe("2 months");
    expect(formatAge(ago(95), now)).toBe("3 months");
    expect(formatAge(ago(800), now)).toBe("2 years");
  });
  it("depends only on the two dates it is given", () => {
    const later = new Date(now.getTime() + 10 * 86_400_000);
    expect(formatAge(ago(1), later)).toBe("11 days");
    expect(formatAge(now, now)).toBe("under a day");
  });
  it("reads a future date (clock skew) as under a day", () => {
    expect(formatAge(ago(-3), now)).toBe("under a day");
  });
});

describe("formatDate and formatDateTime", () => {
  it("formats in UTC, whatever the machine's time zone", () => {
    // 23:30 UTC is already the next day east of UTC and still the same day west of it: UTC decides.
    expect(formatDate(new Date("2026-01-05T23:30:00Z"))).toBe("Jan 5, 2026");
    expect(formatDate(new Date("2026-01-05T00:00:00Z"))).toBe("Jan 5, 2026");
    expect(formatDateTime(new Date("2026-01-05T14:30:00Z"))).toBe("Jan 5, 2026, 2:30 PM UTC");
  });
  it("formats a missing date as never, or as the fallback given", () => {
    expect(formatDate(null)).toBe("never");
    expect(formatDate(undefined)).toBe("never");
    expect(formatDateTime(null)).toBe("never");
    expect(formatDate(null, "—")).toBe("—");
  });
  it("joins a date and its age", () => {
    expect(formatDateWithAge(ago(3), now)).toBe("Nov 20, 2026 (3 days old)");
  });
});
