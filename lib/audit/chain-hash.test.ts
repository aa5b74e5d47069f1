// The chain's encoding is deterministic: the same row hashes the same whatever the key order of its JSON,
// and any field, including seq and prevHash, changes the hash.
import { describe, expect, it } from "vitest";
import { canonicalJson, eventHash, type ChainedRow } from "./chain-hash";

const row: ChainedRow = {
  id: "0193a8e0-0000-7000-8000-000000000001",
  teamId: "0193a8e0-0000-7000-8000-0000000000aa",
  seq: 7,
  prevHash: "a".repeat(64),
  createdAt: new Date("2026-12-07T03:00:00.123Z"),
  actorType: "user",
  actorId: "0193a8e0-0000-7000-8000-0000000000bb",
  actorLabel: "ada@example.test",
  action: "api_key.create",
  targets: [{ type: "api_key", id: "k1", label: "laptop" }],
  metadata: { scopes: { models: ["gpt-4o"], endpoints: { chat: "write" } }, n: 1 },
  ip: "203.0.113.7",
  userAgent: "test",
};

describe("canonicalJson", () => {
  it("sorts keys at every level, keeps array order and drops undefined like JSON does", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"e":2,"f":1}]},"b":1}',
    );
    expect(canonicalJson("ü\n")).toBe(JSON.stringify("ü\n"));
  });
});

describe("eventHash", () => {
  it("is the same for the same row whatever the key order of its JSON", () => {
    const reordered = { ...row, metadata: { n: 1, scopes: { endpoints: { chat: "write" }, models: ["gpt-4o"] } } };
    expect(eventHash(reordered)).toBe(eventHash(row));
    expect(eventHash(row)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ["seq", { seq: 8 }],
    ["prevHash", { prevHash: "b".repeat(64) }],
    ["createdAt", { createdAt: new Date("2026-12-07T03:00:00.124Z") }],
    ["actorLabel", { actorLabel: "eve@example.test" }],
    ["targets", { targets: [{ type: "api_key", id: "k2" }] }],
    ["metadata", { metadata: { n: 2 } }],
    ["ip", { ip: null }],
  ])("changes with %s", (_, change) => {
    expect(eventHash({ ...row, ...change })).not.toBe(eventHash(row));
  });
});
