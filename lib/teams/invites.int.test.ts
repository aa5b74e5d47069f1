import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signUp } from "@/lib/auth/accounts";
import { db } from "@/lib/db/client";
import { acceptInvite, createInvite, INVITE_ERRORS, revokeInvite } from "@/lib/teams/invites";
import {
  appErrorOf,
  auditEvents,
  contextIn,
  seedMember,
  seedUser,
  TEST_PASSWORD,
  TEST_REQUEST,
  uniqueEmail,
  type SeededUser,
} from "@/lib/testing/seed";

/** An owner with a context allowed to invite, in the owner's own fresh team. */
async function teamWithInviter() {
  const owner = await seedUser("owner");
  return { owner, ctx: await contextIn(owner, owner.team, "members.invite") };
}

function membershipOf(user: SeededUser, teamId: string) {
  return db().membership.findFirst({ where: { teamId, userId: user.user.id }, select: { role: true } });
}

describe("createInvite", () => {
  it("stores only the SHA-256 of the token: the token itself is in no column of the row", async () => {
    const { ctx } = await teamWithInviter();
    const invitee = await seedUser("invitee");
    const { invite, token } = await createInvite(ctx, { email: invitee.user.email, role: "member" });

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await db().$queryRawUnsafe<{ json: string }[]>(
      `SELECT row_to_json(i)::text AS json FROM "Invite" i WHERE id = $1::uuid`,
      invite.id,
    );
    expect(row?.json).toBeDefined();
    expect(row?.json).not.toContain(token);
    const stored = await db().invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(stored.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
  });

  it("replaces the previous link when the same address is invited again", async () => {
    const { ctx } = await teamWithInviter();
    const invitee = await seedUser("invitee");
    const first = await createInvite(ctx, { email: invitee.user.email, role: "member" });
    const second = await createInvite(ctx, { email: invitee.user.email, role: "admin" });

    const old = await db().invite.findUniqueOrThrow({ where: { id: first.invite.id } });
    expect(old.revokedAt).not.toBeNull();
    expect(await appErrorOf(acceptInvite(first.token, invitee.user, TEST_REQUEST))).toMatchObject({
      code: "conflict",
      message: INVITE_ERRORS.revoked,
    });
    await acceptInvite(second.token, invitee.user, TEST_REQUEST);
    expect(await membershipOf(invitee, ctx.team.id)).toEqual({ role: "admin" });
  });

  it("refuses to invite someone who is already a member", async () => {
    const { ctx } = await teamWithInviter();
    const member = await seedMember(ctx.team, "member");
    expect(await appErrorOf(createInvite(ctx, { email: member.user.email, role: "viewer" }))).toMatchObject({
      code: "conflict",
      message: INVITE_ERRORS.alreadyMember,
    });
    expect(await db().invite.count({ where: { teamId: ctx.team.id } })).toBe(0);
  });

  it("does not let an admin invite an owner (outranked), but lets them invite a member", async () => {
    const { owner } = await teamWithInviter();
    const admin = await seedMember(owner.team, "admin");
    const adminCtx = await contextIn(admin, owner.team, "members.invite");
    const invitee = await seedUser("invitee");

    expect(await appErrorOf(createInvite(adminCtx, { email: invitee.user.email, role: "owner" }))).toMatchObject({
      code: "forbidden",
      message: INVITE_ERRORS.outranked,
    });
    expect(await db().invite.count({ where: { teamId: owner.team.id } })).toBe(0);

    await createInvite(adminCtx, { email: invitee.user.email, role: "member" });
    expect(await db().invite.count({ where: { teamId: owner.team.id } })).toBe(1);
  });
});

describe("acceptInvite", () => {
  it("works once: the second accept is a conflict (used)", async () => {
    const { ctx } = await teamWithInviter();
    const invitee = await seedUser("invitee");
    const { token } = await createInvite(ctx, { email: invitee.user.email, role: "member" });

    expect(await acceptInvite(token, invitee.user, TEST_REQUEST)).toEqual({ teamSlug: ctx.team.slug });
    expect(await membershipOf(invitee, ctx.team.id)).toEqual({ role: "member" });
    expect(await appErrorOf(acceptInvite(token, invitee.user, TEST_REQUEST))).toMatchObject({
      code: "conflict",
      message: INVITE_ERRORS.used,
    });
  });

  it("refuses an expired invite and creates no membership", async () => {
    const { ctx } = await teamWithInviter();
    const invitee = await seedUser("invitee");
    const { invite, token } = await createInvite(ctx, { email: invitee.user.email, role: "member" });
    await db().invite.update({ where: { id: invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    expect(await appErrorOf(acceptInvite(token, invitee.user, TEST_REQUEST))).toMatchObject({
      code: "conflict",
      message: INVITE_ERRORS.expired,
    });
    expect(await membershipOf(invitee, ctx.team.id)).toBeNull();
    expect((await db().invite.findUniqueOrThrow({ where: { id: invite.id } })).acceptedAt).toBeNull();
  });

  it("refuses a user whose e-mail differs, and the invite stays usable for the invited address", async () => {
    const { ctx } = await teamWithInviter();
    const invitee = await seedUser("invitee");
    const stranger = await seedUser("stranger");
    const { token } = await createInvite(ctx, { email: invitee.user.email, role: "viewer" });

    expect(await appErrorOf(acceptInvite(token, stranger.user, TEST_REQUEST))).toMatchObject({
      code: "forbidden",
      message: INVITE_ERRORS.wrongEmail,
    });
    expect(await membershipOf(stranger, ctx.team.id)).toBeNull();

    await acceptInvite(token, invitee.user, TEST_REQUEST);
    expect(await membershipOf(invitee, ctx.team.id)).toEqual({ role: "viewer" });
  });

  it("refuses a revoked invite", async () => {
    const { ctx } = await teamWithInviter();
    const invitee = await seedUser("invitee");
    const { invite, token } = await createInvite(ctx, { email: invitee.user.email, role: "member" });
    await revokeInvite(ctx, invite.id);

    expect(await appErrorOf(acceptInvite(token, invitee.user, TEST_REQUEST))).toMatchObject({
      code: "conflict",
      message: INVITE_ERRORS.revoked,
    });
    expect(await membershipOf(invitee, ctx.team.id)).toBeNull();
  });

  it("refuses an unknown token as not found", async () => {
    const invitee = await seedUser("invitee");
    expect(await appErrorOf(acceptInvite("A".repeat(43), invitee.user, TEST_REQUEST))).toMatchObject({
      code: "not_found",
      message: INVITE_ERRORS.invalid,
    });
  });

  it("lets exactly one of two concurrent accepts of the same token succeed", async () => {
    const { ctx } = await teamWithInviter();
    const invitee = await seedUser("invitee");
    const { invite, token } = await createInvite(ctx, { email: invitee.user.email, role: "member" });
    // Open a second pooled connection first: otherwise connecting it delays the second transaction until
    // the first has committed, and the two never actually overlap.
    await Promise.all([db().$executeRaw`SELECT pg_sleep(0.05)`, db().$executeRaw`SELECT pg_sleep(0.05)`]);

    const results = await Promise.allSettled([
      acceptInvite(token, invitee.user, TEST_REQUEST),
      acceptInvite(token, invitee.user, TEST_REQUEST),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected?.reason).toMatchObject({ code: "conflict", message: INVITE_ERRORS.used });
    expect(await db().membership.count({ where: { teamId: ctx.team.id, userId: invitee.user.id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { teamId: ctx.team.id, action: "invite.accept" } })).toBe(1);
    expect((await db().invite.findUniqueOrThrow({ where: { id: invite.id } })).acceptedById).toBe(invitee.user.id);
  });
});

describe("revokeInvite", () => {
  it("answers not_found for another team's invite id, which keeps working", async () => {
    const a = await teamWithInviter();
    const b = await teamWithInviter();
    const invitee = await seedUser("invitee");
    const { invite, token } = await createInvite(b.ctx, { email: invitee.user.email, role: "member" });

    expect(await appErrorOf(revokeInvite(a.ctx, invite.id))).toMatchObject({ code: "not_found" });
    expect((await db().invite.findUniqueOrThrow({ where: { id: invite.id } })).revokedAt).toBeNull();
    expect(await auditEvents(a.ctx.team.id, "invite.revoke")).toHaveLength(0);

    await acceptInvite(token, invitee.user, TEST_REQUEST);
    expect(await membershipOf(invitee, b.ctx.team.id)).toEqual({ role: "member" });
    expect(await membershipOf(invitee, a.ctx.team.id)).toBeNull();
  });
});

describe("invite audit trail", () => {
  it("records create, revoke and accept in the team, without the token", async () => {
    const { owner, ctx } = await teamWithInviter();
    const invitee = await seedUser("invitee");
    const revoked = await createInvite(ctx, { email: uniqueEmail("never-accepts"), role: "viewer" });
    await revokeInvite(ctx, revoked.invite.id);
    const accepted = await createInvite(ctx, { email: invitee.user.email, role: "member" });
    await acceptInvite(accepted.token, invitee.user, TEST_REQUEST);

    const created = await auditEvents(ctx.team.id, "invite.create");
    const revokes = await auditEvents(ctx.team.id, "invite.revoke");
    const accepts = await auditEvents(ctx.team.id, "invite.accept");
    expect(created.map((e) => e.targets)).toEqual([
      [{ type: "invite", id: revoked.invite.id, label: revoked.invite.email }],
      [{ type: "invite", id: accepted.invite.id, label: invitee.user.email }],
    ]);
    expect(created.map((e) => e.actorId)).toEqual([owner.user.id, owner.user.id]);
    expect(revokes.map((e) => e.targets)).toEqual([
      [{ type: "invite", id: revoked.invite.id, label: revoked.invite.email }],
    ]);
    expect(accepts).toHaveLength(1);
    expect(accepts[0]).toMatchObject({ actorId: invitee.user.id, metadata: { role: "member" }, ip: TEST_REQUEST.ip });

    const all = [...created, ...revokes, ...accepts];
    expect(all.every((e) => e.teamId === ctx.team.id)).toBe(true);
    const hashes = [revoked.token, accepted.token].map((t) => createHash("sha256").update(t).digest("hex"));
    for (const event of all) {
      const text = JSON.stringify([event.targets, event.metadata]);
      for (const secret of [revoked.token, accepted.token, ...hashes]) expect(text).not.toContain(secret);
    }
  });
});

describe("signing up through an invitation", () => {
  it("joins the inviting team with the invited role, and creates no team of its own", async () => {
    const { owner, ctx } = await teamWithInviter();
    const email = uniqueEmail("invited");
    const { token } = await createInvite(ctx, { email, role: "viewer" });
    const { user, team } = await signUp(
      { name: "Ivy Invited", email, password: TEST_PASSWORD, teamName: "", inviteToken: token },
      TEST_REQUEST,
    );
    expect(team).toMatchObject({ id: owner.team.id, slug: owner.team.slug });
    const memberships = await db().membership.findMany({
      where: { userId: user.id },
      select: { teamId: true, role: true },
    });
    expect(memberships).toEqual([{ teamId: owner.team.id, role: "viewer" }]);
    expect(await auditEvents(owner.team.id, "invite.accept")).toHaveLength(1);
    // The invitation is used up.
    expect((await appErrorOf(acceptInvite(token, { ...user, email }, TEST_REQUEST))).code).toBe("conflict");
  });

  it("with an invitation for another address, creates nothing at all", async () => {
    const { ctx } = await teamWithInviter();
    const { token } = await createInvite(ctx, { email: uniqueEmail("invited"), role: "member" });
    const email = uniqueEmail("someone-else");
    const error = await appErrorOf(
      signUp({ name: "Sam", email, password: TEST_PASSWORD, teamName: "", inviteToken: token }, TEST_REQUEST),
    );
    expect(error.message).toBe(INVITE_ERRORS.wrongEmail);
    expect(await db().user.count({ where: { email } })).toBe(0);
  });
});
