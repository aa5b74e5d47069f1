// The proxy's key cache: a key is served from memory for at most KEY_TTL_MS after its load (the last line of
// defence against a missed change), an invalidation drops it at once, and a load that raced with an
// invalidation is not cached. Time is the cache's injected clock.
import { describe, expect, it } from "vitest";
import { KEY_TTL_MS, KeyCache, type KeyRow } from "./key-cache";

const row = (hash: string, teamId = "t1"): KeyRow => ({
  id: `id-${hash}`,
  teamId,
  userId: "u1",
  hash,
  scopes: { endpoints: { chat: "write" } },
  expiresAt: null,
  createdAt: new Date(0),
  keyPolicy: null,
  role: "member",
});

function cacheOver(rows: Map<string, KeyRow>, maxKeys?: number) {
  let now = 1_000_000;
  const loads: string[] = [];
  const cache = new KeyCache(
    async (hash) => {
      loads.push(hash);
      return rows.get(hash) ?? null;
    },
    () => now,
    maxKeys,
  );
  return { cache, loads, advance: (ms: number) => (now += ms), now: () => now };
}

describe("KeyCache", () => {
  it("serves a loaded key from memory until KEY_TTL_MS after its load, then reads it again", async () => {
    const rows = new Map([["h1", row("h1")]]);
    const { cache, loads, advance, now } = cacheOver(rows);
    expect((await cache.get("h1"))?.id).toBe("id-h1");
    advance(KEY_TTL_MS - 1);
    expect(cache.peek("h1", now())?.id).toBe("id-h1");
    expect(loads).toEqual(["h1"]);
    // Revoked elsewhere, and the change was never heard: the lifetime still ends it.
    rows.delete("h1");
    advance(1);
    expect(cache.peek("h1", now())).toBeUndefined();
    expect(await cache.get("h1")).toBeNull();
    expect(loads).toEqual(["h1", "h1"]);
    expect(cache.size).toBe(0);
  });

  it("drops one key, a team's keys, or everything on invalidation", async () => {
    const rows = new Map([
      ["a", row("a", "t1")],
      ["b", row("b", "t1")],
      ["c", row("c", "t2")],
    ]);
    const { cache, now } = cacheOver(rows);
    for (const hash of ["a", "b", "c"]) await cache.get(hash);
    cache.invalidate({ hashes: ["a"] });
    expect(["a", "b", "c"].map((h) => cache.peek(h, now()) !== undefined)).toEqual([false, true, true]);
    cache.invalidate({ teamId: "t1" });
    expect(["a", "b", "c"].map((h) => cache.peek(h, now()) !== undefined)).toEqual([false, false, true]);
    cache.invalidate({ upstreamTeamId: "t2" });
    expect(cache.peek("c", now())).toBeDefined();
    cache.invalidate({});
    expect(cache.size).toBe(0);
  });

  it("does not cache a load that an invalidation overtook", async () => {
    let release: (value: KeyRow | null) => void = () => undefined;
    const cache = new KeyCache(() => new Promise<KeyRow | null>((resolve) => (release = resolve)));
    const pending = cache.get("h1");
    cache.invalidate({ hashes: ["h1"] });
    release(row("h1"));
    expect((await pending)?.id).toBe("id-h1");
    expect(cache.peek("h1", Date.now())).toBeUndefined();
  });

  it("holds at most its capacity, dropping the least recently used key, which is loaded again when next used", async () => {
    const rows = new Map(["a", "b", "c", "d"].map((h) => [h, row(h)] as const));
    const { cache, loads, now } = cacheOver(rows, 3);
    for (const hash of ["a", "b", "c"]) await cache.get(hash);
    expect(cache.peek("a", now())?.id).toBe("id-a"); // a is now the most recently used: b is the oldest
    await cache.get("d");
    expect(cache.size).toBe(3);
    expect(cache.capacity).toBe(3);
    expect(cache.stats.evictions).toBe(1);
    expect(["a", "b", "c", "d"].map((h) => cache.peek(h, now()) !== undefined)).toEqual([true, false, true, true]);
    expect((await cache.get("b"))?.id).toBe("id-b");
    expect(loads).toEqual(["a", "b", "c", "d", "b"]);
  });

  it("merges concurrent loads of one key into one read", async () => {
    const rows = new Map([["h1", row("h1")]]);
    const { cache, loads } = cacheOver(rows);
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.get("h1")));
    expect(new Set(answers).size).toBe(1);
    expect(loads).toEqual(["h1"]);
  });

  it("counts each request's lookup once: hits, misses (then loaded) and known non-keys", async () => {
    const rows = new Map([["h1", row("h1")]]);
    const { cache, now } = cacheOver(rows);
    // What the proxy does per request: peek, and on a miss, get.
    const lookUp = async (hash: string) => cache.peek(hash, now()) ?? (await cache.get(hash));
    await lookUp("h1"); // miss, loaded
    await lookUp("h1"); // hit
    await lookUp("h1"); // hit
    await lookUp("nope"); // miss, loaded: not a key
    await lookUp("nope"); // negative hit
    expect(cache.stats).toEqual({ hits: 2, misses: 2, negativeHits: 1, evictions: 0 });
  });
});
