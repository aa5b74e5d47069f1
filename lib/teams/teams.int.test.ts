// Deleting a team: everything it owns goes, its keys' cache entries are invalidated on commit, the audit
// trail stays, and only an owner may do it.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { hashKey } from "@/lib/keys/format";
import { subscribeKeyChanges, type KeyChange } from "@/lib/keys/key-changes";
import { createKey } from "@/lib/keys/store";
import { appErrorOf, auditEvents, contextIn, seedMember, seedUser } from "@/lib/testing/seed";
import { deleteTeam } from "./teams";

describe("deleteTeam", () => {
  it("deletes the team's data, notifies the key cache, and keeps the audit trail", async () => {
    const owner = await seedUser("owner");
    const member = await seedMember(owner.team, "member");
    const key = await createKey(await contextIn(member, owner.team, "api_keys.own"), {
      name: "k",
      scopes: { endpoints: { chat: "write" } },
    });
    const changes: KeyChange[] = [];
    const stop = await subscribeKeyChanges(process.env.DATABASE_URL ?? "", (change) => changes.push(change));
    try {
      await deleteTeam(await contextIn(owner, owner.team, "team.delete"));
      await expect
        .poll(() => changes.find((c) => c.teamId === owner.team.id), { timeout: 10_000 })
        .toMatchObject({ hashes: [hashKey(key.key)] });
    } finally {
      await stop();
    }
    expect(await db().team.count({ where: { id: owner.team.id } })).toBe(0);
    expect(await db().apiKey.count({ where: { teamId: owner.team.id } })).toBe(0);
    expect(await db().membership.count({ where: { teamId: owner.team.id } })).toBe(0);
    expect(await auditEvents(owner.team.id, "team.delete")).toHaveLength(1);
    expect((await auditEvents(owner.team.id, "team.create")).length).toBe(1);
  });

  it("is an owner's alone", async () => {
    const owner = await seedUser("owner");
    const admin = await seedMember(owner.team, "admin");
    expect((await appErrorOf(contextIn(admin, owner.team, "team.delete"))).code).toBe("forbidden");
  });
});
