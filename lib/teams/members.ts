// Team members: list, change role, remove, leave, transfer ownership. Every query carries ctx.team.id.
import { AppError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { canManage } from "@/lib/auth/permissions";
import { transaction } from "@/lib/db/transaction";
import { db, type Tx } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { memberCeilingChanged, revokeMemberKeys } from "@/lib/keys/store";
import { actorOf, type TeamContext, type TeamScope } from "@/lib/teams/context";

export const MEMBER_ERRORS = {
  lastOwner: "A team needs at least one owner. Make someone else an owner first.",
  self: "You can't do this to your own membership here.",
  outranked: "You can't manage someone with a higher role, or grant a role above your own.",
} as const;

const ROLE_ORDER: Record<Role, number> = { owner: 0, admin: 1, member: 2, viewer: 3, auditor: 4 };

const MEMBER_FIELDS = {
  id: true,
  role: true,
  createdAt: true,
  // totpEnabledAt: whether 2FA is on, for the members page; toPublicMember keeps it out of the API's answer.
  user: { select: { id: true, email: true, name: true, totpEnabledAt: true } },
} as const;

export async function listMembers(ctx: Pick<TeamContext, "team">) {
  const rows = await db().membership.findMany({ where: { teamId: ctx.team.id }, select: MEMBER_FIELDS });
  return rows.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.createdAt.getTime() - b.createdAt.getTime());
}

/** One membership of the team; another team's (or an unknown) id is not found. */
export async function getMember(ctx: Pick<TeamContext, "team">, membershipId: string) {
  const row = await db().membership.findFirst({
    where: { id: membershipId, teamId: ctx.team.id },
    select: MEMBER_FIELDS,
  });
  if (!row) throw new AppError("not_found");
  return row;
}

// Serialises membership changes of one team, so two owners demoting each other cannot leave it ownerless.
async function lockTeam(tx: Tx, teamId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Team" WHERE id = ${teamId}::uuid FOR UPDATE`;
}

async function findTeamMembership(tx: Tx, ctx: Pick<TeamContext, "team">, membershipId: string) {
  const membership = await tx.membership.findFirst({
    where: { id: membershipId, teamId: ctx.team.id },
    select: { id: true, role: true, userId: true, user: { select: { email: true } } },
  });
  if (!membership) throw new AppError("not_found");
  return membership;
}

/**
 * The actor's role as it is now, under the team lock: the one in ctx was read before the lock, and an actor
 * demoted meanwhile must not act with their old rank.
 */
async function currentActorRole(tx: Tx, ctx: TeamContext): Promise<Role> {
  const actor = await tx.membership.findFirst({
    where: { id: ctx.membership.id, teamId: ctx.team.id },
    select: { role: true },
  });
  if (!actor) throw new AppError("not_found");
  return actor.role;
}

async function assertAnotherOwner(tx: Tx, teamId: string, leavingUserId: string): Promise<void> {
  const owners = await tx.membership.count({ where: { teamId, role: "owner", userId: { not: leavingUserId } } });
  if (owners === 0) throw new AppError("conflict", MEMBER_ERRORS.lastOwner);
}

type Target = Awaited<ReturnType<typeof findTeamMembership>>;

/** A member changes roles within their own rank, never their own. */
export function changeMemberRole(ctx: TeamContext, membershipId: string, role: Role) {
  return applyRoleChange(ctx, membershipId, role, async (tx, target) => {
    if (target.userId === ctx.user.id) throw new AppError("forbidden", MEMBER_ERRORS.self);
    if (!canManage(await currentActorRole(tx, ctx), target.role, role))
      throw new AppError("forbidden", MEMBER_ERRORS.outranked);
  });
}

/**
 * The operator CLI has no rank in the team (it acts as the system, with the database's own access, like
 * `keyward bootstrap`), so only the team's own rule holds: it keeps at least one owner.
 */
export function changeMemberRoleAsOperator(scope: TeamScope, membershipId: string, role: Role) {
  return applyRoleChange(scope, membershipId, role, async () => undefined);
}

async function applyRoleChange(
  ctx: TeamScope,
  membershipId: string,
  role: Role,
  assertAllowed: (tx: Tx, target: Target) => Promise<void>,
) {
  return transaction(async (tx) => {
    await lockTeam(tx, ctx.team.id);
    const target = await findTeamMembership(tx, ctx, membershipId);
    await assertAllowed(tx, target);
    if (target.role === role) return target;
    if (target.role === "owner") await assertAnotherOwner(tx, ctx.team.id, target.userId);
    await tx.membership.update({ where: { id: target.id, teamId: ctx.team.id }, data: { role } });
    // The role is a ceiling on the member's existing keys: every node recomputes them before this answers.
    await memberCeilingChanged(tx, { teamId: ctx.team.id, userIds: [target.userId] });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: actorOf(ctx),
      action: "member.role_change",
      targets: [{ type: "user", id: target.userId, label: target.user.email }],
      metadata: { from: target.role, to: role },
      context: ctx.request,
    });
    return { ...target, role };
  });
}

export async function removeMember(ctx: TeamContext, membershipId: string) {
  await transaction(async (tx) => {
    await lockTeam(tx, ctx.team.id);
    const target = await findTeamMembership(tx, ctx, membershipId);
    if (target.userId === ctx.user.id) throw new AppError("forbidden", MEMBER_ERRORS.self);
    if (!canManage(await currentActorRole(tx, ctx), target.role))
      throw new AppError("forbidden", MEMBER_ERRORS.outranked);
    if (target.role === "owner") await assertAnotherOwner(tx, ctx.team.id, target.userId);
    await tx.membership.delete({ where: { id: target.id, teamId: ctx.team.id } });
    // Same transaction: the removed member's keys stop working the moment the removal commits.
    const keysRevoked = await revokeMemberKeys(tx, {
      teamId: ctx.team.id,
      userId: target.userId,
      actor: actorOf(ctx),
      request: ctx.request,
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: actorOf(ctx),
      action: "member.remove",
      targets: [{ type: "user", id: target.userId, label: target.user.email }],
      metadata: { role: target.role, keysRevoked },
      context: ctx.request,
    });
  });
}

export async function leaveTeam(ctx: TeamContext) {
  await transaction(async (tx) => {
    await lockTeam(tx, ctx.team.id);
    if (ctx.membership.role === "owner") await assertAnotherOwner(tx, ctx.team.id, ctx.user.id);
    await tx.membership.delete({ where: { id: ctx.membership.id, teamId: ctx.team.id } });
    await revokeMemberKeys(tx, { teamId: ctx.team.id, userId: ctx.user.id, actor: actorOf(ctx), request: ctx.request });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: actorOf(ctx),
      action: "member.leave",
      targets: [{ type: "user", id: ctx.user.id, label: ctx.user.email }],
      context: ctx.request,
    });
  });
}

/** Makes another member the owner; the current owner stays on as admin. */
export async function transferOwnership(ctx: TeamContext, membershipId: string) {
  await transaction(async (tx) => {
    await lockTeam(tx, ctx.team.id);
    const target = await findTeamMembership(tx, ctx, membershipId);
    if (target.userId === ctx.user.id) throw new AppError("forbidden", MEMBER_ERRORS.self);
    if ((await currentActorRole(tx, ctx)) !== "owner") throw new AppError("forbidden");
    await tx.membership.update({ where: { id: target.id, teamId: ctx.team.id }, data: { role: "owner" } });
    await tx.membership.update({ where: { id: ctx.membership.id, teamId: ctx.team.id }, data: { role: "admin" } });
    await memberCeilingChanged(tx, { teamId: ctx.team.id, userIds: [target.userId, ctx.user.id] });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: actorOf(ctx),
      action: "team.ownership_transfer",
      targets: [{ type: "user", id: target.userId, label: target.user.email }],
      metadata: { previousRole: target.role },
      context: ctx.request,
    });
  });
}
