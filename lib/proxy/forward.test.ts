// Header deadlines: one sweeping timer for every request in flight.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Deadlines } from "./forward";

afterEach(() => vi.useRealTimers());

describe("Deadlines", () => {
  it("fires a deadline once it has passed, never one that was removed, and stops sweeping when idle", () => {
    vi.useFakeTimers({ now: 0 });
    const deadlines = new Deadlines();
    const fired: string[] = [];
    deadlines.add(250, () => fired.push("a"));
    const b = deadlines.add(250, () => fired.push("b"));
    deadlines.add(1_000, () => fired.push("c"));
    deadlines.remove(b);
    vi.advanceTimersByTime(200);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(100); // 300 ms: a is due (at most one sweep late)
    expect(fired).toEqual(["a"]);
    vi.advanceTimersByTime(800);
    expect(fired).toEqual(["a", "c"]);
    expect(deadlines.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
