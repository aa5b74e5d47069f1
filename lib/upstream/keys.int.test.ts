// The team's upstream keys against a real database and the mock upstream: only ciphertext at rest, masked
// everywhere, and another team's key is a 404 for every operation.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockOpenAI, type MockOpenAI } from "@/lib/mock-openai/server";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");
let mock: MockOpenAI;

beforeAll(async () => {
  mock = await startMockOpenAI();
  process.env.OPENAI_BASE_URL = mock.baseUrl;
});
afterAll(() => mock.close());

const { db } = await import("@/lib/db/client");
const { appErrorOf, auditEvents, contextIn, seedMember, seedUser } = await import("@/lib/testing/seed");
const keys = await import("./keys");

const fakeKey = () => `sk-proj-${randomBytes(24).toString("hex")}`;

async function ownerContext() {
  const owner = await seedUser("owner");
  return { owner, ctx: await contextIn(owner, owner.team, "upstream_keys.write") };
}

describe("upstream keys", () => {
  it("checks the key upstream, stores only its ciphertext, and shows it masked", async () => {
    const { ctx } = await ownerContext();
    const key = fakeKey();
    const created = await keys.addUpstreamKey(ctx, { name: "Prod", key, weight: 2, skipCheck: false });
    expect(created).toEqual({ id: created.id, name: "Prod", masked: `sk-…${key.slice(-4)}`, verified: true });
    expect(mock.requests.at(-1)).toMatchObject({ method: "GET", path: "/v1/models", keyHint: key.slice(-4) });

    const row = await db().upstreamKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(key);
    expect(row.encryptedKey).toMatch(/^v1\./);
    const [listed] = await keys.listUpstreamKeys(ctx);
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(listed).toMatchObject({ name: "Prod", masked: `sk-…${key.slice(-4)}`, weight: 2, enabled: true });

    const [event] = await auditEvents(ctx.team.id, "upstream_key.create");
    expect(JSON.stringify(event)).not.toContain(key);
    expect(event?.targets).toEqual([{ type: "upstream_key", id: created.id, label: `Prod (sk-…${key.slice(-4)})` }]);
  });

  it("refuses a key the upstream rejects and saves nothing; saving unchecked is allowed", async () => {
    const { ctx } = await ownerContext();
    const rejected = await appErrorOf(
      keys.addUpstreamKey(ctx, { name: "Bad", key: "sk-invalid-0123456789abcdef", weight: 1, skipCheck: false }),
    );
    expect(rejected.message).toBe(keys.UPSTREAM_ERRORS.rejected);
    expect(await keys.listUpstreamKeys(ctx)).toEqual([]);
    const unchecked = await keys.addUpstreamKey(ctx, {
      name: "Offline",
      key: "sk-invalid-but-unchecked-000",
      weight: 1,
      skipCheck: true,
    });
    expect(unchecked.verified).toBe(false);
  });

  it("answers not_found for another team's key, for every operation, and changes nothing", async () => {
    const { ctx: alice } = await ownerContext();
    const { ctx: bob } = await ownerContext();
    const { id } = await keys.addUpstreamKey(alice, { name: "Alice's", key: fakeKey(), weight: 1, skipCheck: false });

    expect(await keys.listUpstreamKeys(bob)).toEqual([]);
    for (const attempt of [
      () => keys.setUpstreamKeyEnabled(bob, id, false),
      () => keys.deleteUpstreamKey(bob, id),
      () => keys.recheckUpstreamKey(bob, id),
    ]) {
      expect((await appErrorOf(attempt())).code).toBe("not_found");
    }
    expect(await db().upstreamKey.findUniqueOrThrow({ where: { id } })).toMatchObject({
      enabled: true,
      teamId: alice.team.id,
    });
  });

  it("a ciphertext copied to another team's row does not decrypt", async () => {
    const { ctx: alice } = await ownerContext();
    const { ctx: bob } = await ownerContext();
    const a = await keys.addUpstreamKey(alice, { name: "A", key: fakeKey(), weight: 1, skipCheck: true });
    const b = await keys.addUpstreamKey(bob, { name: "B", key: fakeKey(), weight: 1, skipCheck: true });
    const stolen = await db().upstreamKey.findUniqueOrThrow({ where: { id: a.id } });
    await db().upstreamKey.update({ where: { id: b.id }, data: { encryptedKey: stolen.encryptedKey } });
    await expect(keys.recheckUpstreamKey(bob, b.id)).rejects.toThrow(/decrypt/i);
    expect((await keys.recheckUpstreamKey(alice, a.id)).status).toBe("valid");
  });

  it("disables, re-enables and deletes with audit events; a member cannot reach the keys", async () => {
    const { owner, ctx } = await ownerContext();
    const { id } = await keys.addUpstreamKey(ctx, { name: "K", key: fakeKey(), weight: 1, skipCheck: false });
    await keys.setUpstreamKeyEnabled(ctx, id, false);
    await keys.setUpstreamKeyEnabled(ctx, id, true);
    await keys.deleteUpstreamKey(ctx, id);
    expect(await db().upstreamKey.count({ where: { id } })).toBe(0);
    for (const action of ["upstream_key.disable", "upstream_key.enable", "upstream_key.delete"]) {
      expect(await auditEvents(ctx.team.id, action)).toHaveLength(1);
    }
    const member = await seedMember(owner.team, "member");
    expect((await appErrorOf(contextIn(member, owner.team, "upstream_keys.read"))).code).toBe("not_found");
  });
});
