// The tenant door's core: who the actor is in which team. Everything team-scoped receives a TeamContext.
import { AppError } from "@/lib/api/errors";
import type { RequestContext, AuditActor } from "@/lib/audit/record";
import { can, refusalCode, ROLE_PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { assertTwoFactorCompliance, type Compliance } from "@/lib/teams/two-factor-policy";
import type { Role } from "@/lib/generated/prisma/enums";
import { hasControlCharacters } from "@/lib/validations/text";

export type TeamRef = { id: string; slug: string; name: string };

export type TeamContext = {
  user: SessionUser;
  sessionId: string;
  team: TeamRef;
  membership: { id: string; role: Role };
  /** What this actor may do here: the role's permissions, or a management key's scopes within its creator's role. */
  permissions: ReadonlySet<Permission>;
  actor: AuditActor;
  request: RequestContext;
  /** Whether the team's 2FA requirement is met, or how long this member has left to meet it. */
  twoFactor?: Compliance;
};

/** What operations that an operator may also run (the CLI, with no session) need: the team and who acts. */
export type TeamScope = Pick<TeamContext, "team" | "actor" | "request"> & { user?: Pick<SessionUser, "id"> };

/** The user's membership in the team with this slug, or null: not a member and no such team look the same. */
export async function findMembership(userId: string, teamSlug: string) {
  // No team's slug has a control character (slugs are [a-z0-9-]); a NUL would fail in PostgreSQL as a 500.
  if (hasControlCharacters(teamSlug)) return null;
  return db().membership.findFirst({
    where: { userId, team: { slug: teamSlug } },
    select: { id: true, role: true, team: { select: { id: true, slug: true, name: true } } },
  });
}

export function actorOf(ctx: { actor: AuditActor }): AuditActor {
  return ctx.actor;
}

/**
 * Resolves the actor's context in a team, or throws: not a member (or no such team) → not_found, so a team's
 * existence never leaks; a member without the permission → forbidden, or not_found for a hidden section. Both wrappers use this, nothing else.
 */
export async function resolveTeamContext(
  session: { sessionId: string; user: SessionUser },
  teamSlug: string,
  permission: Permission,
  request: RequestContext,
): Promise<TeamContext> {
  const membership = await findMembership(session.user.id, teamSlug);
  if (!membership) throw new AppError("not_found");
  if (!can(membership.role, permission)) throw new AppError(refusalCode(permission));
  // "2FA required" (after its grace period) shuts out a member without 2FA from everything in the team.
  const twoFactor = await assertTwoFactorCompliance(membership.team.id, session.user.id);
  return {
    twoFactor,
    user: session.user,
    sessionId: session.sessionId,
    team: membership.team,
    membership: { id: membership.id, role: membership.role },
    permissions: new Set(ROLE_PERMISSIONS[membership.role]),
    actor: { type: "user", id: session.user.id, label: session.user.email },
    request,
  };
}
