// Invitations by e-mail: single-use, bound to the invited address, expire after 7 days, revocable.
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/api/errors";
import { recordAudit, type RequestContext } from "@/lib/audit/record";
import { canManage } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/sessions";
import { randomToken, sha256Hex } from "@/lib/crypto/tokens";
import { db, type Tx } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { actorOf, type TeamContext } from "@/lib/teams/context";

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const INVITE_ERRORS = {
  alreadyMember: "That person is already a member of this team.",
  invalid: "This invitation link is not valid.",
  expired: "This invitation has expired. Ask for a new one.",
  used: "This invitation has already been used.",
  revoked: "This invitation was revoked.",
  wrongEmail: "This invitation was sent to a different e-mail address. Sign in with that address to accept it.",
  outranked: "You can't invite someone with a role above your own.",
} as const;

export async function listPendingInvites(ctx: Pick<TeamContext, "team">) {
  return db().invite.findMany({
    where: { teamId: ctx.team.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      email: true,
      role: true,
      createdAt: true,
      expiresAt: true,
      invitedBy: { select: { name: true } },
    },
  });
}

/** Creates an invite and returns its one-time token (only its hash is stored). Re-inviting replaces the old link. */
export async function createInvite(ctx: TeamContext, input: { email: string; role: Role }) {
  if (!canManage(ctx.membership.role, input.role, input.role)) throw new AppError("forbidden", INVITE_ERRORS.outranked);
  const token = randomToken();
  const invite = await transaction(async (tx) => {
    const existing = await tx.membership.findFirst({
      where: { teamId: ctx.team.id, user: { email: input.email } },
      select: { id: true },
    });
    if (existing) throw new AppError("conflict", INVITE_ERRORS.alreadyMember);
    await tx.invite.updateMany({
      where: { teamId: ctx.team.id, email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const created = await tx.invite.create({
      data: {
        teamId: ctx.team.id,
        email: input.email,
        role: input.role,
        tokenHash: sha256Hex(token),
        invitedById: ctx.user.id,
        expiresAt: new Date(Date.now() + INVITE_TTL_MS),
      },
      select: { id: true, email: true, role: true, expiresAt: true },
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: actorOf(ctx),
      action: "invite.create",
      targets: [{ type: "invite", id: created.id, label: created.email }],
      metadata: { role: created.role },
      context: ctx.request,
    });
    return created;
  });
  return { invite, token };
}

export async function revokeInvite(ctx: TeamContext, inviteId: string) {
  await transaction(async (tx) => {
    const invite = await tx.invite.findFirst({
      where: { id: inviteId, teamId: ctx.team.id, acceptedAt: null, revokedAt: null },
      select: { id: true, email: true },
    });
    if (!invite) throw new AppError("not_found");
    await tx.invite.update({ where: { id: invite.id, teamId: ctx.team.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: actorOf(ctx),
      action: "invite.revoke",
      targets: [{ type: "invite", id: invite.id, label: invite.email }],
      context: ctx.request,
    });
  });
}

type InviteStatus = "valid" | "expired" | "used" | "revoked";

function statusOf(invite: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }): InviteStatus {
  if (invite.acceptedAt) return "used";
  if (invite.revokedAt) return "revoked";
  if (invite.expiresAt.getTime() <= Date.now()) return "expired";
  return "valid";
}

const STATUS_ERRORS: Record<Exclude<InviteStatus, "valid">, string> = {
  expired: INVITE_ERRORS.expired,
  used: INVITE_ERRORS.used,
  revoked: INVITE_ERRORS.revoked,
};

/** What the invite page may show to whoever holds the link: the team, the role and the invited address. */
export async function describeInvite(token: string) {
  const invite = await db().invite.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: {
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      team: { select: { name: true } },
      invitedBy: { select: { name: true } },
    },
  });
  if (!invite) return null;
  const status = statusOf(invite);
  return {
    email: invite.email,
    role: invite.role,
    teamName: invite.team.name,
    inviterName: invite.invitedBy?.name ?? null,
    status,
    error: status === "valid" ? null : STATUS_ERRORS[status],
  };
}

/** Accepts an invite for the signed-in user. Consuming it is one conditional UPDATE, so it works once. */
export async function acceptInvite(token: string, user: SessionUser, context: RequestContext) {
  return transaction(async (tx) => {
    const { team } = await acceptInviteIn(tx, token, user, context);
    return { teamSlug: team.slug };
  });
}

/** Inside the caller's transaction: sign-up through an invitation creates the user and joins in one. */
export async function acceptInviteIn(
  tx: Tx,
  token: string,
  user: Pick<SessionUser, "id" | "email">,
  context: RequestContext,
) {
  const invite = await tx.invite.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: {
      id: true,
      teamId: true,
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      team: { select: { id: true, slug: true, name: true } },
    },
  });
  if (!invite) throw new AppError("not_found", INVITE_ERRORS.invalid);
  const status = statusOf(invite);
  if (status !== "valid") throw new AppError("conflict", STATUS_ERRORS[status]);
  if (invite.email !== user.email.toLowerCase()) throw new AppError("forbidden", INVITE_ERRORS.wrongEmail);
  const consumed = await tx.invite.updateMany({
    where: { id: invite.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    data: { acceptedAt: new Date(), acceptedById: user.id },
  });
  if (consumed.count !== 1) throw new AppError("conflict", INVITE_ERRORS.used);
  const already = await tx.membership.findFirst({
    where: { teamId: invite.teamId, userId: user.id },
    select: { id: true },
  });
  if (already) throw new AppError("conflict", INVITE_ERRORS.alreadyMember);
  await tx.membership.create({ data: { teamId: invite.teamId, userId: user.id, role: invite.role } });
  await recordAudit(tx, {
    teamId: invite.teamId,
    actor: { type: "user", id: user.id, label: user.email },
    action: "invite.accept",
    targets: [{ type: "invite", id: invite.id, label: invite.email }],
    metadata: { role: invite.role },
    context,
  });
  return { team: invite.team };
}
