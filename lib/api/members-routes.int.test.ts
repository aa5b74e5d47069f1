// PATCH /api/teams/{slug}/members/{id} and POST /api/teams/{slug}/invites through the real route handlers
// with management keys: the dashboard's domain functions (same audit events, same ceilings), 422 on bad
// input with nothing changed, 403 without the grant or above the actor's rank, 404 for another team.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as invite } from "@/app/api/teams/[slug]/invites/route";
import { PATCH } from "@/app/api/teams/[slug]/members/[id]/route";
import { memberSchema, inviteCreatedSchema } from "@/lib/api/schemas/members";
import { db } from "@/lib/db/client";
import { createManagementKey, type ManagementScope } from "@/lib/keys/management";
import { answer, callRoute } from "@/lib/testing/api-call";
import { auditEvents, contextIn, seedMember, seedUser, uniqueEmail } from "@/lib/testing/seed";

// Sending the invitation reads the configuration; with no SMTP_URL the mail is written under DATA_DIR.
let dataDir = "";
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "keyward-invites-"));
  process.env.DATA_DIR = dataDir;
  process.env.AUTH_SECRET ||= randomBytes(32).toString("base64");
  process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
  delete process.env.SMTP_URL;
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function teamWithKey(label: string, scopes: ManagementScope[]) {
  const owner = await seedUser(`${label}-owner`);
  const mgmt = await createManagementKey(await contextIn(owner, owner.team, "management_keys.write"), {
    name: "people bot",
    scopes,
  });
  return { owner, team: owner.team, mgmt };
}

const roleOf = async (membershipId: string) =>
  (await db().membership.findUniqueOrThrow({ where: { id: membershipId } })).role;

describe("PATCH /api/teams/{slug}/members/{id}", () => {
  it("changes the role as the dashboard does, and answers the member", async () => {
    const a = await teamWithKey("role", ["members.update_role"]);
    const member = await seedMember(a.team, "member", "role-member");
    const params = { slug: a.team.slug, id: member.membershipId };
    const changed = await answer(
      await callRoute(PATCH, params, a.mgmt.key, { method: "PATCH", body: { role: "viewer" } }),
    );
    expect(changed.status).toBe(200);
    const data = memberSchema.parse((changed.body as { data: unknown }).data);
    expect(data).toMatchObject({ id: member.membershipId, role: "viewer", user: { email: member.user.email } });
    expect(await roleOf(member.membershipId)).toBe("viewer");
    const [event, ...more] = await auditEvents(a.team.id, "member.role_change");
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actorType: "api_key",
      actorId: a.mgmt.id,
      metadata: { from: "member", to: "viewer" },
    });
  });

  it("refuses bad input with a 422 and changes nothing", async () => {
    const a = await teamWithKey("role-bad", ["members.update_role"]);
    const member = await seedMember(a.team, "member", "role-bad-member");
    const params = { slug: a.team.slug, id: member.membershipId };
    for (const body of [{ role: "superuser" }, {}, { role: "viewer", extra: 1 }, "nope"]) {
      const refused = await answer(await callRoute(PATCH, params, a.mgmt.key, { method: "PATCH", body }));
      expect(refused.status, JSON.stringify(body)).toBe(422);
    }
    const badId = await callRoute(PATCH, { ...params, id: "not-an-id" }, a.mgmt.key, {
      method: "PATCH",
      body: { role: "viewer" },
    });
    expect(badId.status).toBe(422);
    expect(await roleOf(member.membershipId)).toBe("member");
    expect(await auditEvents(a.team.id, "member.role_change")).toEqual([]);
  });

  it("refuses a key without the grant, and a rank above the key creator's own", async () => {
    const a = await teamWithKey("role-perm", ["members.read"]);
    const member = await seedMember(a.team, "member", "role-perm-member");
    const params = { slug: a.team.slug, id: member.membershipId };
    expect((await callRoute(PATCH, params, a.mgmt.key, { method: "PATCH", body: { role: "viewer" } })).status).toBe(
      403,
    );

    const admin = await seedMember(a.team, "admin", "role-perm-admin");
    const adminKey = await createManagementKey(await contextIn(admin, a.team, "management_keys.write"), {
      name: "admin's",
      scopes: ["members.update_role"],
    });
    const above = await answer(
      await callRoute(PATCH, params, adminKey.key, { method: "PATCH", body: { role: "owner" } }),
    );
    expect(above.status).toBe(403);
    const ownerParams = {
      slug: a.team.slug,
      id: (await db().membership.findFirstOrThrow({ where: { teamId: a.team.id, userId: a.owner.user.id } })).id,
    };
    expect(
      (await callRoute(PATCH, ownerParams, adminKey.key, { method: "PATCH", body: { role: "viewer" } })).status,
    ).toBe(403);
    expect(await roleOf(member.membershipId)).toBe("member");
    expect(await auditEvents(a.team.id, "member.role_change")).toEqual([]);
  });

  it("answers 404 for another team's member, on either team's URL", async () => {
    const a = await teamWithKey("role-a", ["members.update_role"]);
    const b = await teamWithKey("role-b", ["members.update_role"]);
    const bMember = await seedMember(b.team, "member", "role-b-member");
    const body = { method: "PATCH", body: { role: "viewer" } };
    expect((await callRoute(PATCH, { slug: a.team.slug, id: bMember.membershipId }, a.mgmt.key, body)).status).toBe(
      404,
    );
    expect((await callRoute(PATCH, { slug: b.team.slug, id: bMember.membershipId }, a.mgmt.key, body)).status).toBe(
      404,
    );
    expect(await roleOf(bMember.membershipId)).toBe("member");
    expect(await auditEvents(b.team.id, "member.role_change")).toEqual([]);
  });
});

describe("POST /api/teams/{slug}/invites", () => {
  it("invites as the dashboard does: an invite row, invite.create audited, the link when no mail went out", async () => {
    const a = await teamWithKey("invite", ["members.invite"]);
    const email = uniqueEmail("invitee");
    const created = await callRoute(invite, { slug: a.team.slug }, a.mgmt.key, {
      method: "POST",
      body: { email: email.toUpperCase(), role: "member" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const data = inviteCreatedSchema.parse(((await created.json()) as { data: unknown }).data);
    expect(data).toMatchObject({ email, role: "member", mailed: false });
    expect(data.link).toMatch(/\/invite#[A-Za-z0-9_-]{43}$/); // no SMTP_URL in tests: the inviter passes it on
    const row = await db().invite.findFirstOrThrow({ where: { teamId: a.team.id, email } });
    expect(row).toMatchObject({ id: data.id, role: "member", invitedById: a.owner.user.id, acceptedAt: null });
    const [event] = await auditEvents(a.team.id, "invite.create");
    expect(event).toMatchObject({
      actorType: "api_key",
      actorId: a.mgmt.id,
      targets: [{ type: "invite", id: data.id }],
    });
  });

  it("refuses bad input with a 422, and an existing member with a 409, creating nothing", async () => {
    const a = await teamWithKey("invite-bad", ["members.invite"]);
    for (const body of [{ email: "not-an-email", role: "member" }, { email: uniqueEmail(), role: "god" }, {}]) {
      const refused = await answer(
        await callRoute(invite, { slug: a.team.slug }, a.mgmt.key, { method: "POST", body }),
      );
      expect(refused.status, JSON.stringify(body)).toBe(422);
    }
    const member = await seedMember(a.team, "member", "invite-existing");
    const again = await callRoute(invite, { slug: a.team.slug }, a.mgmt.key, {
      method: "POST",
      body: { email: member.user.email, role: "admin" },
    });
    expect(again.status).toBe(409);
    expect(await db().invite.count({ where: { teamId: a.team.id } })).toBe(0);
    expect(await auditEvents(a.team.id, "invite.create")).toEqual([]);
  });

  it("refuses a key without the grant, and a role above the key creator's", async () => {
    const a = await teamWithKey("invite-perm", ["members.read"]);
    const body = { method: "POST", body: { email: uniqueEmail(), role: "member" } };
    expect((await callRoute(invite, { slug: a.team.slug }, a.mgmt.key, body)).status).toBe(403);
    const admin = await seedMember(a.team, "admin", "invite-admin");
    const adminKey = await createManagementKey(await contextIn(admin, a.team, "management_keys.write"), {
      name: "admin's",
      scopes: ["members.invite"],
    });
    const owner = { method: "POST", body: { email: uniqueEmail(), role: "owner" } };
    expect((await callRoute(invite, { slug: a.team.slug }, adminKey.key, owner)).status).toBe(403);
    expect(await db().invite.count({ where: { teamId: a.team.id } })).toBe(0);
  });

  it("answers 404 on another team's URL and invites no one there", async () => {
    const a = await teamWithKey("invite-a", ["members.invite"]);
    const b = await teamWithKey("invite-b", ["members.invite"]);
    const body = { method: "POST", body: { email: uniqueEmail(), role: "member" } };
    expect((await callRoute(invite, { slug: b.team.slug }, a.mgmt.key, body)).status).toBe(404);
    expect(await db().invite.count({ where: { teamId: b.team.id } })).toBe(0);
  });
});
