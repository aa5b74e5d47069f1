// Teams: creation (with its owner) and the list a user can switch between.
import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/api/errors";
import { recordAudit, type AuditActor, type RequestContext } from "@/lib/audit/record";
import { transaction } from "@/lib/db/transaction";
import { db, type Tx } from "@/lib/db/client";
import { notifyKeyChange } from "@/lib/keys/invalidation";
import type { TeamContext } from "@/lib/teams/context";

function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "team";
}

async function uniqueSlug(tx: Tx, name: string): Promise<string> {
  const base = slugify(name);
  if (!(await tx.team.findUnique({ where: { slug: base }, select: { id: true } }))) return base;
  // A short random suffix rather than counting up: it does not reveal how many teams share a name.
  for (;;) {
    const candidate = `${base}-${randomBytes(3).toString("hex")}`;
    if (!(await tx.team.findUnique({ where: { slug: candidate }, select: { id: true } }))) return candidate;
  }
}

export async function createTeamWithOwner(
  tx: Tx,
  input: { name: string; ownerId: string; actor: AuditActor; context: RequestContext },
) {
  const team = await tx.team.create({
    data: {
      name: input.name,
      slug: await uniqueSlug(tx, input.name),
      memberships: { create: { userId: input.ownerId, role: "owner" } },
    },
    select: { id: true, slug: true, name: true },
  });
  await recordAudit(tx, {
    teamId: team.id,
    actor: input.actor,
    action: "team.create",
    targets: [{ type: "team", id: team.id, label: team.name }],
    context: input.context,
  });
  return team;
}

export async function createTeam(input: { name: string; ownerId: string; actor: AuditActor; context: RequestContext }) {
  return transaction((tx) => createTeamWithOwner(tx, input));
}

export const TEAM_ERRORS = { slugTaken: "Another team already uses this address." } as const;

/**
 * Renames the team and/or moves its address. The old address answers 404 at once (and may be taken by
 * another team): nothing redirects from it, so an old link never leads to a team that took the name later.
 */
export async function renameTeam(ctx: TeamContext, input: { name: string; slug: string }) {
  try {
    return await transaction(async (tx) => {
      // key-state: unaffected — a team's name and slug are in no key's scope; the proxy finds keys by hash.
      const team = await tx.team.update({
        where: { id: ctx.team.id },
        data: { name: input.name, slug: input.slug },
        select: { id: true, slug: true, name: true },
      });
      await recordAudit(tx, {
        teamId: team.id,
        actor: ctx.actor,
        action: "team.rename",
        targets: [{ type: "team", id: team.id, label: team.name }],
        metadata: { before: { name: ctx.team.name, slug: ctx.team.slug }, after: { name: team.name, slug: team.slug } },
        context: ctx.request,
      });
      return team;
    });
  } catch (error) {
    if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002") {
      throw new AppError("conflict", TEAM_ERRORS.slugTaken, { slug: [TEAM_ERRORS.slugTaken] });
    }
    throw error;
  }
}

export async function listTeamsOf(userId: string) {
  const memberships = await db().membership.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { role: true, team: { select: { id: true, slug: true, name: true } } },
  });
  return memberships.map((m) => ({ ...m.team, role: m.role }));
}

/** For the operator CLI, which acts on any team by slug (it has the database credentials anyway). */
export async function operatorTeamScope(slug: string) {
  const team = await db().team.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
  if (!team) return null;
  return {
    team,
    actor: { type: "system" as const, label: "keyward CLI" },
    request: { ip: null, userAgent: "keyward-cli" },
  };
}

/**
 * Deletes a team and everything it owns (members, invites, keys, upstream keys). Its keys stop working the
 * moment this commits (the proxy's cache is told in the same transaction). The audit trail stays.
 */
export async function deleteTeam(ctx: TeamContext): Promise<void> {
  await transaction(async (tx) => {
    const keys = await tx.apiKey.findMany({ where: { teamId: ctx.team.id, revokedAt: null }, select: { hash: true } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "team.delete",
      targets: [{ type: "team", id: ctx.team.id, label: ctx.team.name }],
      metadata: { keysRevoked: keys.length },
      context: ctx.request,
    });
    await tx.team.delete({ where: { id: ctx.team.id } });
    await notifyKeyChange(tx, { teamId: ctx.team.id, hashes: keys.map((k) => k.hash) });
  });
}
