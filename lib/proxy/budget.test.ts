import { describe, expect, it } from "vitest";
import { BudgetLedger } from "./budget";

const budget = { amountUsd: 1, period: "lifetime" } as const;
const now = new Date("2026-12-04T00:00:00Z");

async function ledger() {
  const l = new BudgetLedger(async () => 0.25);
  await l.prepare("k", budget, now);
  return l;
}

describe("BudgetLedger", () => {
  it("refuses a reservation that would pass the budget, counting what is spent and reserved", async () => {
    const l = await ledger();
    expect(l.reserve("k", budget, 0.5, now)).not.toBeNull();
    expect(l.reserve("k", budget, 0.3, now)).toBeNull();
    expect(l.remaining("k", budget)).toBeCloseTo(0.25);
  });

  it("never takes a negative or NaN reservation, which would hand budget back", async () => {
    const l = await ledger();
    expect(() => l.reserve("k", budget, -1e9, now)).toThrow(RangeError);
    expect(() => l.reserve("k", budget, Number.NaN, now)).toThrow(RangeError);
    expect(() => l.reserve("k", budget, Number.POSITIVE_INFINITY, now)).toThrow(RangeError);
    expect(l.remaining("k", budget)).toBeCloseTo(0.75);
  });

  it("settles a reservation exactly once: a second settle changes nothing", async () => {
    const l = await ledger();
    const reservation = l.reserve("k", budget, 0.5, now)!;
    l.settle(reservation, 0.1);
    l.settle(reservation, 0.1);
    expect(reservation.settled).toBe(true);
    expect(l.remaining("k", budget)).toBeCloseTo(0.65);
    // A negative actual cost is not a refund.
    const other = l.reserve("k", budget, 0.1, now)!;
    l.settle(other, -5);
    expect(l.remaining("k", budget)).toBeCloseTo(0.65);
  });
});
