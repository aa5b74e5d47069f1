import { describe, expect, it } from "vitest";
import { toAppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import type { TeamContext } from "@/lib/teams/context";
import { changeMemberRole, leaveTeam, MEMBER_ERRORS, removeMember, transferOwnership } from "@/lib/teams/members";
import { addMember, appErrorOf, auditEvents, contextIn, seedMember, seedUser } from "@/lib/testing/seed";

async function roleOf(membershipId: string): Promise<Role | undefined> {
  return (await db().membership.findUnique({ where: { id: membershipId }, select: { role: true } }))?.role;
}

function ownerCount(teamId: string): Promise<number> {
  return db().membership.count({ where: { teamId, role: "owner" } });
}

/** A fresh team: its owner (from sign-up) and the owner's membership id. */
async function seedTeam() {
  const owner = await seedUser("owner");
  const { id } = await db().membership.findFirstOrThrow({ where: { teamId: owner.team.id, userId: owner.user.id } });
  return { owner, team: owner.team, ownerMembershipId: id };
}

describe("changeMemberRole", () => {
  it("lets an admin change a member to viewer, and records from/to", async () => {
    const { team } = await seedTeam();
    const admin = await seedMember(team, "admin");
    const member = await seedMember(team, "member");
    const ctx = await contextIn(admin, team, "members.update_role");

    expect(await changeMemberRole(ctx, member.membershipId, "viewer")).toMatchObject({ role: "viewer" });
    expect(await roleOf(member.membershipId)).toBe("viewer");
    const events = await auditEvents(team.id, "member.role_change");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: admin.user.id,
      metadata: { from: "member", to: "viewer" },
      targets: [{ type: "user", id: member.user.id, label: member.user.email }],
    });
  });

  it("does not let an admin touch an owner nor grant owner (outranked)", async () => {
    const { team, ownerMembershipId } = await seedTeam();
    const admin = await seedMember(team, "admin");
    const member = await seedMember(team, "member");
    const ctx = await contextIn(admin, team, "members.update_role");

    for (const attempt of [
      () => changeMemberRole(ctx, ownerMembershipId, "member"),
      () => changeMemberRole(ctx, member.membershipId, "owner"),
    ]) {
      expect(await appErrorOf(attempt())).toMatchObject({ code: "forbidden", message: MEMBER_ERRORS.outranked });
    }
    expect(await roleOf(ownerMembershipId)).toBe("owner");
    expect(await roleOf(member.membershipId)).toBe("member");
    expect(await auditEvents(team.id, "member.role_change")).toHaveLength(0);
  });

  it("lets nobody change their own role", async () => {
    const { owner, team, ownerMembershipId } = await seedTeam();
    const admin = await seedMember(team, "admin");
    const ownerCtx = await contextIn(owner, team, "members.update_role");
    const adminCtx = await contextIn(admin, team, "members.update_role");

    expect(await appErrorOf(changeMemberRole(ownerCtx, ownerMembershipId, "admin"))).toMatchObject({
      code: "forbidden",
      message: MEMBER_ERRORS.self,
    });
    expect(await appErrorOf(changeMemberRole(adminCtx, admin.membershipId, "viewer"))).toMatchObject({
      code: "forbidden",
      message: MEMBER_ERRORS.self,
    });
    expect(await roleOf(ownerMembershipId)).toBe("owner");
    expect(await roleOf(admin.membershipId)).toBe("admin");
  });

  it("judges an actor by their role at the time of the change, not by a stale context", async () => {
    // Co-owner B was demoted to admin after B's request resolved its context: B now acts as an admin, who
    // cannot touch the (now last) owner.
    const { team, ownerMembershipId } = await seedTeam();
    const coOwner = await seedMember(team, "owner", "co-owner");
    const staleCtx = await contextIn(coOwner, team, "members.update_role");
    await db().membership.update({ where: { id: coOwner.membershipId }, data: { role: "admin" } });

    expect(await appErrorOf(changeMemberRole(staleCtx, ownerMembershipId, "admin"))).toMatchObject({
      code: "forbidden",
      message: MEMBER_ERRORS.outranked,
    });
    expect(await roleOf(ownerMembershipId)).toBe("owner");
  });

  it("lets an owner demote a co-owner", async () => {
    const { owner, team } = await seedTeam();
    const coOwner = await seedMember(team, "owner", "co-owner");
    await changeMemberRole(await contextIn(owner, team, "members.update_role"), coOwner.membershipId, "member");
    expect(await roleOf(coOwner.membershipId)).toBe("member");
    expect((await auditEvents(team.id, "member.role_change"))[0]?.metadata).toEqual({ from: "owner", to: "member" });
  });

  it("leaves at least one owner when two owners demote each other at the same time", async () => {
    // Several rounds: one round may happen to run the two transactions one after the other.
    for (let round = 0; round < 3; round++) {
      const { owner, team, ownerMembershipId } = await seedTeam();
      const coOwner = await seedMember(team, "owner", "co-owner");
      const [ctxA, ctxB] = await Promise.all([
        contextIn(owner, team, "members.update_role"),
        contextIn(coOwner, team, "members.update_role"),
      ]);
      const results = await Promise.allSettled([
        changeMemberRole(ctxA, coOwner.membershipId, "admin"),
        changeMemberRole(ctxB, ownerMembershipId, "admin"),
      ]);

      expect(await ownerCount(team.id)).toBe(1);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      // The loser runs second, under the lock, as the admin the winner just made of them.
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(rejected?.reason).toMatchObject({ code: "forbidden", message: MEMBER_ERRORS.outranked });
    }
  });
});

describe("removeMember and leaveTeam", () => {
  it("keeps the last owner: they cannot leave, an admin cannot remove them, nor can a stale owner context", async () => {
    const { owner, team, ownerMembershipId } = await seedTeam();
    const admin = await seedMember(team, "admin");
    const ownerCtx = await contextIn(owner, team);
    const adminCtx = await contextIn(admin, team, "members.remove");
    const coOwner = await seedMember(team, "owner", "co-owner");
    const staleCtx = await contextIn(coOwner, team, "members.remove");
    await db().membership.update({ where: { id: coOwner.membershipId }, data: { role: "admin" } });

    expect(await appErrorOf(leaveTeam(ownerCtx))).toMatchObject({ code: "conflict", message: MEMBER_ERRORS.lastOwner });
    expect(await appErrorOf(removeMember(adminCtx, ownerMembershipId))).toMatchObject({
      code: "forbidden",
      message: MEMBER_ERRORS.outranked,
    });
    expect(await appErrorOf(removeMember(staleCtx, ownerMembershipId))).toMatchObject({
      code: "forbidden",
      message: MEMBER_ERRORS.outranked,
    });
    expect(await roleOf(ownerMembershipId)).toBe("owner");
    expect(await auditEvents(team.id, "member.leave")).toHaveLength(0);
    expect(await auditEvents(team.id, "member.remove")).toHaveLength(0);
  });

  it("lets one of two owners leave", async () => {
    const { owner, team, ownerMembershipId } = await seedTeam();
    await seedMember(team, "owner", "co-owner");
    await leaveTeam(await contextIn(owner, team));

    expect(await roleOf(ownerMembershipId)).toBeUndefined();
    expect(await ownerCount(team.id)).toBe(1);
    const events = await auditEvents(team.id, "member.leave");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: owner.user.id, targets: [{ type: "user", id: owner.user.id }] });
  });

  it("lets an admin remove a member, and records it", async () => {
    const { team } = await seedTeam();
    const admin = await seedMember(team, "admin");
    const member = await seedMember(team, "member");
    await removeMember(await contextIn(admin, team, "members.remove"), member.membershipId);

    expect(await roleOf(member.membershipId)).toBeUndefined();
    const events = await auditEvents(team.id, "member.remove");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: admin.user.id,
      metadata: { role: "member" },
      targets: [{ id: member.user.id }],
    });
  });
});

describe("transferOwnership", () => {
  it("makes the target owner and the actor admin", async () => {
    const { owner, team, ownerMembershipId } = await seedTeam();
    const member = await seedMember(team, "member");
    await transferOwnership(await contextIn(owner, team, "ownership.transfer"), member.membershipId);

    expect(await roleOf(member.membershipId)).toBe("owner");
    expect(await roleOf(ownerMembershipId)).toBe("admin");
    const events = await auditEvents(team.id, "team.ownership_transfer");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: owner.user.id,
      metadata: { previousRole: "member" },
      targets: [{ id: member.user.id }],
    });
  });

  it("refuses a transfer to oneself", async () => {
    const { owner, team, ownerMembershipId } = await seedTeam();
    const ctx = await contextIn(owner, team, "ownership.transfer");
    expect(await appErrorOf(transferOwnership(ctx, ownerMembershipId))).toMatchObject({
      code: "forbidden",
      message: MEMBER_ERRORS.self,
    });
    expect(await roleOf(ownerMembershipId)).toBe("owner");
  });
});

describe("cross-team", () => {
  it("answers not_found for a membership id of another team, and changes nothing", async () => {
    const a = await seedTeam();
    const b = await seedTeam();
    const victim = await seedMember(b.team, "member", "victim");
    const ctxA = await contextIn(a.owner, a.team, "ownership.transfer");

    const attempts = [
      () => changeMemberRole(ctxA, victim.membershipId, "viewer"),
      () => changeMemberRole(ctxA, b.ownerMembershipId, "admin"),
      () => removeMember(ctxA, victim.membershipId),
      () => removeMember(ctxA, b.ownerMembershipId),
      () => transferOwnership(ctxA, victim.membershipId),
    ];
    for (const attempt of attempts) expect(await appErrorOf(attempt())).toMatchObject({ code: "not_found" });

    // leaveTeam takes its membership from the context; a context naming team A with a membership of team B
    // must not delete the B membership (the wrappers map Prisma's "record not found" to not_found).
    const victimInA = await addMember(a.team, victim.user, "member");
    const mixed: TeamContext = {
      ...(await contextIn(victim, a.team)),
      membership: { id: victim.membershipId, role: "member" },
    };
    const leaveError = await leaveTeam(mixed).then(
      () => null,
      (error: unknown) => toAppError(error),
    );
    expect(leaveError?.code).toBe("not_found");

    expect(await roleOf(victim.membershipId)).toBe("member");
    expect(await roleOf(victimInA)).toBe("member");
    expect(await roleOf(b.ownerMembershipId)).toBe("owner");
    expect(await roleOf(a.ownerMembershipId)).toBe("owner");
    const writes = ["member.role_change", "member.remove", "member.leave", "team.ownership_transfer"];
    expect(
      await db().auditEvent.count({ where: { teamId: { in: [a.team.id, b.team.id] }, action: { in: writes } } }),
    ).toBe(0);
  });
});
