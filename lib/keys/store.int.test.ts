// Member keys against a real database: tenancy (another team's or another member's key is a 404 for every
// operation), the ceiling, audit events, and removal revoking keys — with the cache notification on commit.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { removeMember } from "@/lib/teams/members";
import { addMember, appErrorOf, auditEvents, contextIn, seedMember, seedUser } from "@/lib/testing/seed";
import { hashKey, parseKey } from "./format";
import { subscribeKeyChanges, type KeyChange } from "./key-changes";
import { createKey, getKey, listKeys, revokeKey, updateKey } from "./store";
import { updateTeamKeyPolicy } from "./team-policy";

const CHAT = { endpoints: { chat: "write" as const } };

async function teamWithMember(role: "member" | "viewer" = "member") {
  const owner = await seedUser("owner");
  const member = await seedMember(owner.team, role, role);
  return {
    owner,
    member,
    ownerCtx: await contextIn(owner, owner.team, "api_keys.own"),
    memberCtx: await contextIn(member, owner.team, "api_keys.own"),
  };
}

describe("member keys", () => {
  it("stores only the hash, returns the key once, and lists it by prefix", async () => {
    const { memberCtx } = await teamWithMember();
    const created = await createKey(memberCtx, { name: "laptop", scopes: { ...CHAT, models: ["gpt-4o-mini"] } });
    expect(parseKey(created.key)).toMatchObject({ ok: true, kind: "live" });
    const row = await db().apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.hash).toBe(hashKey(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);
    const [listed] = await listKeys(memberCtx);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(listed).toMatchObject({ id: created.id, prefix: created.prefix, status: "active" });
    expect(JSON.stringify(await auditEvents(memberCtx.team.id, "api_key.create"))).not.toContain(created.key);
  });

  it("a member of team B can neither list, read, edit nor revoke team A's keys", async () => {
    const a = await teamWithMember();
    const b = await seedUser("intruder");
    const bCtx = await contextIn(b, b.team, "api_keys.own");
    const { id } = await createKey(a.ownerCtx, { name: "A's key", scopes: CHAT });
    expect(await listKeys(bCtx, { includeRevoked: true })).toEqual([]);
    for (const attempt of [
      () => getKey(bCtx, id),
      () => updateKey(bCtx, id, { name: "pwned" }),
      () => revokeKey(bCtx, id),
    ]) {
      expect((await appErrorOf(attempt())).code).toBe("not_found");
    }
    // …and cannot even get a context in team A.
    expect((await appErrorOf(contextIn(b, a.owner.team, "api_keys.own"))).code).toBe("not_found");
    expect(await db().apiKey.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "A's key", revokedAt: null });
  });

  it("a member cannot act on another member's keys; an admin can", async () => {
    const { owner, memberCtx } = await teamWithMember();
    const other = await seedMember(owner.team, "member", "other");
    const otherCtx = await contextIn(other, owner.team, "api_keys.own");
    const { id } = await createKey(memberCtx, { name: "mine", scopes: CHAT });
    expect(await listKeys(otherCtx)).toEqual([]);
    for (const attempt of [
      () => getKey(otherCtx, id),
      () => updateKey(otherCtx, id, { name: "x" }),
      () => revokeKey(otherCtx, id),
    ]) {
      expect((await appErrorOf(attempt())).code).toBe("not_found");
    }
    expect(
      (await appErrorOf(createKey(otherCtx, { name: "for you", scopes: CHAT, holderUserId: memberCtx.user.id }))).code,
    ).toBe("forbidden");

    const admin = await seedMember(owner.team, "admin", "admin");
    const adminCtx = await contextIn(admin, owner.team, "api_keys.own");
    expect((await listKeys(adminCtx)).map((k) => k.id)).toContain(id);
    await revokeKey(adminCtx, id);
    expect((await getKey(memberCtx, id)).status).toBe("revoked");
    expect((await auditEvents(owner.team.id, "api_key.revoke"))[0]?.metadata).toEqual({
      reason: "revoked by an admin",
    });
  });

  it("caps scopes by the team policy and the holder's role, and records edits with their diff", async () => {
    const { ownerCtx, memberCtx } = await teamWithMember("viewer");
    expect((await appErrorOf(createKey(memberCtx, { name: "w", scopes: CHAT }))).code).toBe("unprocessable");
    const read = await createKey(memberCtx, { name: "r", scopes: { endpoints: { models: "read" } } });
    expect(read.scopes.endpoints).toEqual({ models: "read" });

    await updateTeamKeyPolicy(ownerCtx, {
      endpoints: { chat: "write", models: "read" },
      models: ["gpt-4o-mini"],
      limits: { rpm: 60 },
    });
    const wide = await appErrorOf(
      createKey(ownerCtx, { name: "wide", scopes: { endpoints: { chat: "write", images: "write" } } }),
    );
    expect(wide.code).toBe("unprocessable");
    expect(wide.message).toMatch(/images/);
    const inherited = await createKey(ownerCtx, { name: "inherits", scopes: CHAT });
    expect(inherited.scopes).toMatchObject({ models: ["gpt-4o-mini"], limits: { rpm: 60 } });

    await updateKey(ownerCtx, inherited.id, { scopes: { ...CHAT, limits: { rpm: 10 } } });
    const [edit] = await auditEvents(ownerCtx.team.id, "api_key.update");
    expect(edit?.metadata).toMatchObject({ before: { limits: { rpm: 60 } }, after: { limits: { rpm: 10 } } });
  });

  it("removing a member revokes every key they hold in that team, in the same transaction, and notifies the cache", async () => {
    const { owner, member, ownerCtx, memberCtx } = await teamWithMember();
    const k1 = await createKey(memberCtx, { name: "one", scopes: CHAT });
    const k2 = await createKey(memberCtx, { name: "two", scopes: CHAT });
    // Their key in another team is untouched.
    const elsewhere = await seedUser("elsewhere");
    await addMember(elsewhere.team, member.user, "member");
    const k3 = await createKey(await contextIn(member, elsewhere.team, "api_keys.own"), {
      name: "three",
      scopes: CHAT,
    });

    const changes: KeyChange[] = [];
    const stop = await subscribeKeyChanges(process.env.DATABASE_URL ?? "", (change) => changes.push(change));
    try {
      const membership = await db().membership.findFirstOrThrow({
        where: { teamId: owner.team.id, userId: member.user.id },
      });
      await removeMember(await contextIn(owner, owner.team, "members.remove"), membership.id);
      await expect
        .poll(() => changes.flatMap((c) => c.hashes ?? []).sort(), { timeout: 10_000 })
        .toEqual([hashKey(k1.key), hashKey(k2.key)].sort());
    } finally {
      await stop();
    }
    const rows = await db().apiKey.findMany({ where: { id: { in: [k1.id, k2.id, k3.id] } }, orderBy: { name: "asc" } });
    expect(rows.map((r) => [r.name, r.revokedReason])).toEqual([
      ["one", "member_removed"],
      ["three", null],
      ["two", "member_removed"],
    ]);
    expect(await auditEvents(ownerCtx.team.id, "api_key.revoke")).toHaveLength(2);
  });
});
