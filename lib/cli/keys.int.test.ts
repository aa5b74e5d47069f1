// `keyward keys list|revoke` as an operator runs them: the real CLI in its own process against this file's
// database. Listing shows no key or hash; revoking goes the dashboard's way (audit row, NOTIFY to the proxy);
// another team's key id is not found and stays live; a missing option is named.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { hashKey } from "@/lib/keys/format";
import { subscribeKeyChanges, type KeyChange } from "@/lib/keys/key-changes";
import { publicKeySchema } from "@/lib/keys/public";
import { createKey, revokeKey } from "@/lib/keys/store";
import { operatorCli } from "@/lib/testing/operator-cli";
import { auditEvents, contextIn, seedMember, seedUser } from "@/lib/testing/seed";

const CHAT = { endpoints: { chat: "write" as const }, models: ["gpt-4o-mini"] };
const { keyward } = operatorCli("keys");

/** A team with an owner and a member, each holding a key made through the dashboard's createKey. */
async function teamWithKeys(label: string) {
  const owner = await seedUser(`${label}-owner`);
  const member = await seedMember(owner.team, "member", `${label}-member`);
  const ownerKey = await createKey(await contextIn(owner, owner.team, "api_keys.own"), {
    name: "deploy",
    scopes: CHAT,
  });
  const memberKey = await createKey(await contextIn(member, owner.team, "api_keys.own"), {
    name: "laptop",
    scopes: CHAT,
  });
  return { owner, member, team: owner.team, ownerKey, memberKey };
}

const secretsOf = (...keys: { key: string }[]) => keys.flatMap(({ key }) => [key, hashKey(key)]);

describe("keyward keys list", () => {
  it("lists every member key of the team, revoked ones too, and never a key or its hash", async () => {
    const a = await teamWithKeys("list");
    const other = await teamWithKeys("list-other");
    await revokeKey(await contextIn(a.owner, a.team, "api_keys.own"), a.ownerKey.id);

    const table = await keyward("keys", "list", "--team", a.team.slug);
    expect(table.code).toBe(0);
    for (const [key, holder] of [
      [a.ownerKey, a.owner.user.email],
      [a.memberKey, a.member.user.email],
    ] as const) {
      expect(table.output).toContain(key.id);
      expect(table.output).toContain(`${key.prefix}…`);
      expect(table.output).toContain(holder);
    }
    expect(table.output).toMatch(new RegExp(`${a.ownerKey.id}.*revoked`));
    expect(table.output).toMatch(new RegExp(`${a.memberKey.id}.*active.*chat: write`));
    expect(table.output).not.toContain(other.ownerKey.id);

    const json = await keyward("keys", "list", "--team", a.team.slug, "--json");
    expect(json.code).toBe(0);
    const listed = publicKeySchema.array().parse(JSON.parse(json.output));
    expect(listed.map((k) => [k.id, k.status, k.holder?.email])).toEqual([
      [a.memberKey.id, "active", a.member.user.email],
      [a.ownerKey.id, "revoked", a.owner.user.email],
    ]);

    for (const secret of secretsOf(a.ownerKey, a.memberKey)) {
      expect(table.output).not.toContain(secret);
      expect(json.output).not.toContain(secret);
    }
  });
});

describe("keyward keys revoke", () => {
  it("revokes the key as the dashboard does: an audit row, and the NOTIFY that tells every proxy", async () => {
    const a = await teamWithKeys("revoke");
    const changes: KeyChange[] = [];
    const stop = await subscribeKeyChanges(process.env.DATABASE_URL ?? "", (change) => changes.push(change));
    try {
      const result = await keyward("keys", "revoke", "--team", a.team.slug, "--id", a.memberKey.id);
      expect(result.output).toContain(`Revoked key ${a.memberKey.id} in ${a.team.slug}.`);
      expect(result.code).toBe(0);
      await expect
        .poll(() => changes.flatMap((c) => c.hashes ?? []), { timeout: 5000 })
        .toEqual([hashKey(a.memberKey.key)]);
    } finally {
      await stop();
    }

    const rows = await db().apiKey.findMany({ where: { id: { in: [a.memberKey.id, a.ownerKey.id] } } });
    expect(rows.find((r) => r.id === a.memberKey.id)).toMatchObject({ revokedReason: "revoked", revokedById: null });
    expect(rows.find((r) => r.id === a.ownerKey.id)?.revokedAt).toBeNull();
    const [event, ...more] = await auditEvents(a.team.id, "api_key.revoke");
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actorType: "system",
      actorLabel: "keyward CLI",
      userAgent: "keyward-cli",
      targets: [{ type: "api_key", id: a.memberKey.id, label: `laptop (${a.memberKey.prefix}…)` }],
      metadata: { reason: "revoked by an operator" },
    });
  });

  it("answers not found for another team's key id, and leaves that key live", async () => {
    const a = await teamWithKeys("cross-a");
    const b = await teamWithKeys("cross-b");

    const result = await keyward("keys", "revoke", "--team", a.team.slug, "--id", b.memberKey.id);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`Error: No unrevoked member key with the id ${b.memberKey.id} in ${a.team.slug}.`);
    const row = await db().apiKey.findUniqueOrThrow({ where: { id: b.memberKey.id } });
    expect(row.revokedAt).toBeNull();
    expect(await auditEvents(a.team.id, "api_key.revoke")).toEqual([]);
    expect(await auditEvents(b.team.id, "api_key.revoke")).toEqual([]);

    // The same answer for an id that exists nowhere: the two cannot be told apart.
    const unknown = "0193a000-0000-7000-8000-000000000000";
    const nowhere = await keyward("keys", "revoke", "--team", a.team.slug, "--id", unknown);
    expect(nowhere.code).toBe(1);
    expect(nowhere.output).toContain(`Error: No unrevoked member key with the id ${unknown} in ${a.team.slug}.`);
  });
});

describe("keyward keys options", () => {
  it("names a missing required option and exits non-zero, before touching anything", async () => {
    const revoke = await keyward("keys", "revoke", "--team", "any-team");
    expect(revoke.code).not.toBe(0);
    expect(revoke.output).toContain("error: required option '--id <key-id>' not specified");

    const list = await keyward("keys", "list", "--json");
    expect(list.code).not.toBe(0);
    expect(list.output).toContain("error: required option '--team <slug>' not specified");
  });

  it("parses every option: an id that is not a key id is refused, naming the flag", async () => {
    const result = await keyward("keys", "revoke", "--team", "any-team", "--id", "kw_live_abc");
    expect(result.code).toBe(1);
    expect(result.output).toContain("--id: Not a valid key id.");
  });
});
