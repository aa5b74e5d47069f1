import { describe, expect, it } from "vitest";
import { masterKeyAge, masterKeyWarning } from "./master-key-age";

const DAY = 86_400_000;

describe("masterKeyAge", () => {
  const firstSeenAt = new Date("2026-01-01T00:00:00Z");
  it("counts from the version's first use, and is due at the maximum age", () => {
    const young = masterKeyAge({
      version: 1,
      firstSeenAt,
      maxAgeDays: 365,
      now: new Date(firstSeenAt.getTime() + 364 * DAY),
    });
    expect(young).toMatchObject({ ageDays: 364, rotationDue: false });
    const old = masterKeyAge({
      version: 1,
      firstSeenAt,
      maxAgeDays: 365,
      now: new Date(firstSeenAt.getTime() + 365 * DAY),
    });
    expect(old).toMatchObject({ ageDays: 365, rotationDue: true, docs: expect.stringContaining("README.md#") });
    expect(masterKeyWarning(old)).toContain("365 days old");
  });
  it("counts from ENCRYPTION_KEY_CREATED_AT when the operator gives it", () => {
    const age = masterKeyAge({
      version: 2,
      firstSeenAt,
      createdAt: "2025-01-01",
      maxAgeDays: 365,
      now: new Date("2026-01-02T00:00:00Z"),
    });
    expect(age).toMatchObject({ version: 2, since: "2025-01-01T00:00:00.000Z", ageDays: 366, rotationDue: true });
  });
});
