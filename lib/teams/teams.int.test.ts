// Deleting a team: everything it owns goes, its keys' cache entries are invalidated on commit, the audit
// trail stays, and only an owner may do it. Renaming it and moving its address: owners only, audited.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { hashKey } from "@/lib/keys/format";
import { subscribeKeyChanges, type KeyChange } from "@/lib/keys/key-changes";
import { createKey } from "@/lib/keys/store";
import { appErrorOf, auditEvents, contextIn, seedMember, seedUser } from "@/lib/testing/seed";
import { teamSlugValueSchema } from "@/lib/validations/team";
import { deleteTeam, renameTeam, TEAM_ERRORS } from "./teams";

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

describe("renameTeam", () => {
  it("renames and moves the team; the old address is not found at once; the change is audited with before and after", async () => {
    const owner = await seedUser("owner");
    const oldSlug = owner.team.slug;
    const slug = `moved-${owner.team.id.slice(0, 8)}`;
    const team = await renameTeam(await contextIn(owner, owner.team, "team.update"), { name: "Renamed Inc", slug });
    expect(team).toMatchObject({ id: owner.team.id, name: "Renamed Inc", slug });
    expect((await appErrorOf(contextIn(owner, { slug: oldSlug }))).code).toBe("not_found");
    expect((await contextIn(owner, { slug })).team.name).toBe("Renamed Inc");
    const [event] = await auditEvents(owner.team.id, "team.rename");
    expect(event?.metadata).toEqual({
      before: { name: owner.team.name, slug: oldSlug },
      after: { name: "Renamed Inc", slug },
    });
  });

  it("refuses an address another team has, naming the field, and changes nothing", async () => {
    const owner = await seedUser("owner");
    const other = await seedUser("other");
    const error = await appErrorOf(
      renameTeam(await contextIn(owner, owner.team, "team.update"), { name: "New name", slug: other.team.slug }),
    );
    expect(error.code).toBe("conflict");
    expect(error.fieldErrors).toEqual({ slug: [TEAM_ERRORS.slugTaken] });
    const row = await db().team.findUniqueOrThrow({ where: { id: owner.team.id }, select: { name: true, slug: true } });
    expect(row).toEqual({ name: owner.team.name, slug: owner.team.slug });
    expect(await auditEvents(owner.team.id, "team.rename")).toHaveLength(0);
  });

  it("is the owners' alone, and another team's is not found", async () => {
    const owner = await seedUser("owner");
    const admin = await seedMember(owner.team, "admin");
    expect((await appErrorOf(contextIn(admin, owner.team, "team.update"))).code).toBe("forbidden");
    const stranger = await seedUser("stranger");
    expect((await appErrorOf(contextIn(stranger, owner.team, "team.update"))).code).toBe("not_found");
  });

  it("accepts only a well-formed address", () => {
    for (const slug of ["acme-ai", "a1", "  Acme-AI  "]) expect(teamSlugValueSchema.safeParse(slug).success).toBe(true);
    for (const slug of ["-acme", "acme-", "ac--me", "a", "acme ai", "acme/ai", "x".repeat(41), "ünï"])
      expect(teamSlugValueSchema.safeParse(slug).success).toBe(false);
  });
});
