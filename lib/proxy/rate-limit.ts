// Per-key requests and tokens per minute, in memory: a sliding window approximated from the current and the
// previous fixed minute (O(1), no allocation per request). Synchronous, so concurrent requests cannot both
// pass a check that only one of them fits.
type Window = { minute: number; current: number; previous: number };

export type LimitVerdict = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export class SlidingWindowCounter {
  private readonly windows = new Map<string, Window>();

  private window(id: string, minute: number): Window {
    let w = this.windows.get(id);
    if (!w) {
      w = { minute, current: 0, previous: 0 };
      this.windows.set(id, w);
    } else if (w.minute !== minute) {
      w.previous = w.minute === minute - 1 ? w.current : 0;
      w.current = 0;
      w.minute = minute;
    }
    return w;
  }

  /** The estimated count over the last 60 s. */
  used(id: string, now: number): number {
    const minute = Math.floor(now / 60_000);
    const w = this.window(id, minute);
    const intoMinute = (now % 60_000) / 60_000;
    return w.previous * (1 - intoMinute) + w.current;
  }

  /** Takes `amount` if it fits under `limit`; otherwise says when to retry. */
  take(id: string, amount: number, limit: number, now: number): LimitVerdict {
    const used = this.used(id, now);
    if (used + amount > limit)
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(60 - (now % 60_000) / 1000)) };
    this.window(id, Math.floor(now / 60_000)).current += amount;
    return { ok: true, remaining: Math.max(0, Math.floor(limit - used - amount)) };
  }

  /** Adds usage that is only known afterwards (tokens of a finished response). */
  add(id: string, amount: number, now: number): void {
    this.window(id, Math.floor(now / 60_000)).current += amount;
  }
}
