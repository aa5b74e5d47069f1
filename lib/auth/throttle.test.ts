import { describe, expect, it } from "vitest";
import { ACCOUNT_FREE_FAILURES, delaySeconds } from "./throttle";

describe("delaySeconds", () => {
  it("is free within the allowance, then doubles up to 15 minutes", () => {
    expect(delaySeconds(ACCOUNT_FREE_FAILURES, ACCOUNT_FREE_FAILURES)).toBe(0);
    expect([6, 7, 8, 9].map((n) => delaySeconds(n, 5))).toEqual([1, 2, 4, 8]);
    expect(delaySeconds(15, 5)).toBe(512);
    expect(delaySeconds(16, 5)).toBe(900);
    expect(delaySeconds(10_000, 5)).toBe(900);
  });
});
