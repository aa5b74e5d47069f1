// Budgets, enforced atomically in memory: before forwarding, a request reserves the most it could cost; when
// it finishes, the reservation is replaced by what it did cost. Reserve is synchronous — one event loop, no
// await between check and reserve — so 200 callers racing on a nearly spent key cannot all slip through.
import type { KeyScopes } from "@/lib/keys/scopes";

type Budget = NonNullable<KeyScopes["budget"]>;

/** Start of the budget period containing `now` (UTC calendar: day, ISO week from Monday, month). */
export function periodStart(period: Budget["period"], now: Date): number {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  if (period === "day") return Date.UTC(y, m, d);
  if (period === "week") return Date.UTC(y, m, d - ((now.getUTCDay() + 6) % 7));
  if (period === "month") return Date.UTC(y, m, 1);
  return 0;
}

type Ledger = { periodStart: number; spent: number; reserved: number };

export type Reservation = {
  readonly keyId: string;
  readonly amount: number;
  readonly periodStart: number;
  settled: boolean;
};

export class BudgetLedger {
  private readonly ledgers = new Map<string, Ledger>();

  /** `loadSpent` gives what the key already spent in the period (from stored usage), once per key and period. */
  constructor(private readonly loadSpent: (keyId: string, since: number) => Promise<number>) {}

  /** Ensures the key's ledger for the current period is loaded; the only await, done before the check. */
  async prepare(keyId: string, budget: Budget, now: Date): Promise<void> {
    const start = periodStart(budget.period, now);
    const ledger = this.ledgers.get(keyId);
    if (ledger && ledger.periodStart === start) return;
    const spent = await this.loadSpent(keyId, start);
    const current = this.ledgers.get(keyId);
    if (!current || current.periodStart !== start) this.ledgers.set(keyId, { periodStart: start, spent, reserved: 0 });
  }

  isPrepared(keyId: string, budget: Budget, now: Date): boolean {
    return this.ledgers.get(keyId)?.periodStart === periodStart(budget.period, now);
  }

  /** Synchronous check-and-reserve. Null when the reservation would exceed the budget. */
  reserve(keyId: string, budget: Budget, amount: number, now: Date): Reservation | null {
    // A negative or NaN amount would hand budget back: a pricing bug, never something to let through.
    if (!(amount >= 0) || !Number.isFinite(amount)) throw new RangeError(`invalid reservation amount: ${amount}`);
    const ledger = this.ledgers.get(keyId);
    const start = periodStart(budget.period, now);
    if (!ledger || ledger.periodStart !== start) return null; // prepare() first
    if (ledger.spent + ledger.reserved + amount > budget.amountUsd) return null;
    ledger.reserved += amount;
    return { keyId, amount, periodStart: start, settled: false };
  }

  /** Replaces a reservation by the actual cost (0 when the request failed before costing anything). */
  /** Exactly once: a second settle of the same reservation changes nothing. */
  settle(reservation: Reservation, actual: number): void {
    if (reservation.settled) return;
    reservation.settled = true;
    const ledger = this.ledgers.get(reservation.keyId);
    if (!ledger || ledger.periodStart !== reservation.periodStart) return;
    ledger.reserved -= reservation.amount;
    // Float sums drift by an ulp or so; never below zero, which would free budget that is not there.
    if (ledger.reserved < 1e-12) ledger.reserved = 0;
    ledger.spent += Math.max(0, actual);
  }

  remaining(keyId: string, budget: Budget): number | null {
    const ledger = this.ledgers.get(keyId);
    return ledger ? Math.max(0, budget.amountUsd - ledger.spent - ledger.reserved) : null;
  }

  forget(keyId: string): void {
    this.ledgers.delete(keyId);
  }
}
