// Revoking a key ends its open streams: after a change, the streams it may concern are checked against a
// fresh read of their key and cut when the key is gone or expired — and only then.
import { describe, expect, it } from "vitest";
import { compileKey, type CompiledKey } from "./key-cache";
import { OpenStreams } from "./open-streams";

const key = (hash: string, teamId = "t1", expiresAt: Date | null = null): CompiledKey =>
  compileKey({
    id: `id-${hash}`,
    teamId,
    userId: "u1",
    hash,
    scopes: { endpoints: { chat: "write" } },
    expiresAt,
    createdAt: new Date(0),
    keyPolicy: null,
    role: "member",
  });

describe("OpenStreams", () => {
  it("cuts the streams of a revoked key, and no other", async () => {
    const streams = new OpenStreams();
    const cut: string[] = [];
    streams.track(key("a"), () => cut.push("a1"));
    streams.track(key("a"), () => cut.push("a2"));
    streams.track(key("b"), () => cut.push("b"));
    const reads: string[] = [];
    const live = new Set(["b"]);
    const reload = async (hash: string) => {
      reads.push(hash);
      return live.has(hash) ? key(hash) : null;
    };
    expect(await streams.recheck({ hashes: ["a"] }, reload)).toBe(2);
    expect(cut).toEqual(["a1", "a2"]);
    expect(reads).toEqual(["a"]); // one read per key, not per stream
    expect(streams.size).toBe(1);
  });

  it("keeps streams whose key is still valid, and those whose key cannot be read", async () => {
    const streams = new OpenStreams();
    const cut: string[] = [];
    streams.track(key("a"), () => cut.push("a"));
    expect(await streams.recheck({ hashes: ["a"] }, async (hash) => key(hash))).toBe(0);
    expect(
      await streams.recheck({}, async () => {
        throw new Error("connection refused");
      }),
    ).toBe(0);
    expect(cut).toEqual([]);
  });

  it("after a team change or a reconnect (drop everything), checks every concerned stream; expiry cuts too", async () => {
    const streams = new OpenStreams();
    const cut: string[] = [];
    streams.track(key("a", "t1"), () => cut.push("a"));
    streams.track(key("b", "t2"), () => cut.push("b"));
    const expired = async (hash: string) => key(hash, "t", new Date(Date.now() - 1000));
    expect(await streams.recheck({ upstreamTeamId: "t1" }, expired)).toBe(0);
    expect(await streams.recheck({ teamId: "t1" }, expired)).toBe(1);
    expect(cut).toEqual(["a"]);
    expect(await streams.recheck({}, async () => null)).toBe(1);
    expect(cut).toEqual(["a", "b"]);
  });

  it("forgets a stream once it ends", async () => {
    const streams = new OpenStreams();
    const cut: string[] = [];
    const untrack = streams.track(key("a"), () => cut.push("a"));
    untrack();
    expect(await streams.recheck({}, async () => null)).toBe(0);
    expect(cut).toEqual([]);
  });
});
