// The in-process side of key-change delivery: this process's listeners hear a committed change at once, and
// publishing resolves only after the relay to the edge process has confirmed it.
import { afterEach, describe, expect, it } from "vitest";
import {
  onLocalKeyChange,
  publishCommittedKeyChange,
  reconnectDelayMs,
  setKeyChangeRelay,
  type KeyChange,
} from "./key-changes";

afterEach(() => setKeyChangeRelay(undefined));

describe("publishCommittedKeyChange", () => {
  it("tells local listeners synchronously and waits for the relay before resolving", async () => {
    const events: string[] = [];
    const stop = onLocalKeyChange((change) => events.push(`local ${change.hashes?.join(",")}`));
    let confirm: () => void = () => undefined;
    setKeyChangeRelay((change: KeyChange) => {
      events.push(`relayed ${change.hashes?.join(",")}`);
      return new Promise<void>((resolve) => (confirm = resolve));
    });
    const published = publishCommittedKeyChange({ hashes: ["h1"] }).then(() => events.push("resolved"));
    expect(events).toEqual(["local h1", "relayed h1"]);
    // Every callback already queued has run by the next turn of the event loop: had publishing not waited
    // for the relay, it would have resolved by now. (An event, not a sleep: no machine is too slow for it.)
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).not.toContain("resolved");
    confirm();
    await published;
    expect(events.at(-1)).toBe("resolved");
    stop();
  });

  it("resolves at once without a relay (a single process, or the edge itself)", async () => {
    const heard: KeyChange[] = [];
    const stop = onLocalKeyChange((change) => heard.push(change));
    await publishCommittedKeyChange({ teamId: "t1" });
    expect(heard).toEqual([{ teamId: "t1" }]);
    stop();
  });
});

describe("reconnectDelayMs", () => {
  it("doubles from 250 ms and never waits more than 1.2 s (1 s plus jitter), however long the outage", () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 50, 10_000].map((attempt) => reconnectDelayMs(attempt, middle))).toEqual([
      250, 500, 1000, 1000, 1000, 1000, 1000,
    ]);
    for (const random of [() => 0, () => 0.999999]) {
      for (let attempt = 0; attempt < 100; attempt++) {
        const delay = reconnectDelayMs(attempt, random);
        expect(delay).toBeGreaterThanOrEqual(200);
        expect(delay).toBeLessThanOrEqual(1200);
      }
    }
  });
});
