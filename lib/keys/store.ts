// Member API keys: create (shown once), list, read, edit, revoke. Every query carries the team id, and a
// member without api_keys.manage only ever reaches their own keys (others' are a 404, like another team's).
import { AppError } from "@/lib/api/errors";
import { recordAudit, type AuditActor, type RequestContext } from "@/lib/audit/record";
import { transaction } from "@/lib/db/transaction";
import { db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { generateKey } from "@/lib/keys/format";
import { notifyKeyChange } from "@/lib/keys/invalidation";
import {
  applyCeiling,
  DEFAULT_TEAM_POLICY,
  effectiveScopes,
  teamKeyPolicySchema,
  type Narrowing,
  type TeamKeyPolicy,
} from "@/lib/keys/policy";
import { keyScopesSchema, summarizeScopes, type KeyScopes } from "@/lib/keys/scopes";
import { teamRotationPolicy } from "@/lib/rotation/due";
import { rotationDaysProblem } from "@/lib/rotation/policy";
import type { TeamContext, TeamScope } from "@/lib/teams/context";

export const KEY_ERRORS = {
  notMember: "That person is not a member of this team.",
  revoked: "This key is revoked; revoked keys cannot be changed.",
} as const;

const KEY_FIELDS = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  revokedReason: true,
  userId: true,
  user: { select: { name: true, email: true } },
} as const;

/** Who may see which keys: managers see the team's, everyone else only their own. */
export function visibleKeys(ctx: TeamContext): Prisma.ApiKeyWhereInput {
  return {
    teamId: ctx.team.id,
    kind: "live",
    ...(ctx.permissions.has("api_keys.manage") ? {} : { userId: ctx.user.id }),
  };
}

function toView(row: Prisma.ApiKeyGetPayload<{ select: typeof KEY_FIELDS }>) {
  const scopes = keyScopesSchema.parse(row.scopes);
  const status = row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= new Date() ? "expired" : "active";
  return { ...row, scopes, summary: summarizeScopes(scopes), status } as const;
}
export type KeyView = ReturnType<typeof toView>;

export type Effective = { summary: string; narrowed: Narrowing[] };

/**
 * What each key may do right now (what the proxy enforces): its scopes under the team policy and its holder's
 * role today, with the reasons it is narrower than its own scopes. A holder who left answers nothing.
 */
async function effectiveOf(ctx: Pick<TeamContext, "team">, views: KeyView[]): Promise<Map<string, Effective>> {
  const policy = await teamPolicy(ctx.team.id);
  const holders = [...new Set(views.flatMap((view) => (view.userId ? [view.userId] : [])))];
  const memberships = await db().membership.findMany({
    where: { teamId: ctx.team.id, userId: { in: holders } },
    select: { userId: true, role: true },
  });
  const roles = new Map(memberships.map((m) => [m.userId, m.role]));
  const out = new Map<string, Effective>();
  for (const view of views) {
    const role = view.userId ? roles.get(view.userId) : undefined;
    if (!role) {
      out.set(view.id, { summary: "No access: its holder is no longer in the team", narrowed: [] });
      continue;
    }
    const scopes = view.expiresAt ? { ...view.scopes, expiresAt: view.expiresAt.toISOString() } : view.scopes;
    const effective = effectiveScopes(scopes, policy, role, view.createdAt);
    out.set(view.id, { summary: summarizeScopes(effective.scopes), narrowed: effective.narrowed });
  }
  return out;
}

export async function listKeys(ctx: TeamContext, options: { includeRevoked?: boolean } = {}) {
  const rows = await db().apiKey.findMany({
    where: { ...visibleKeys(ctx), ...(options.includeRevoked ? {} : { revokedAt: null }) },
    orderBy: { createdAt: "desc" },
    select: KEY_FIELDS,
  });
  const views = rows.map(toView);
  const effective = await effectiveOf(ctx, views);
  return views.map((view) => ({ ...view, effective: effective.get(view.id) }));
}

/** One key with what it may do right now (see effectiveOf). */
export async function getKeyWithEffective(ctx: TeamContext, id: string) {
  const view = await getKey(ctx, id);
  return { ...view, effective: (await effectiveOf(ctx, [view])).get(view.id) };
}

/** Every member key of the team, revoked ones too: for the operator CLI, which acts with no member's session. */
export async function listTeamKeys(scope: Pick<TeamScope, "team">) {
  const rows = await db().apiKey.findMany({
    where: { teamId: scope.team.id, kind: "live" },
    orderBy: { createdAt: "desc" },
    select: KEY_FIELDS,
  });
  return rows.map(toView);
}

export async function getKey(ctx: TeamContext, id: string): Promise<KeyView> {
  const row = await db().apiKey.findFirst({ where: { id, ...visibleKeys(ctx) }, select: KEY_FIELDS });
  if (!row) throw new AppError("not_found");
  return toView(row);
}

/** The team member with this e-mail, who may hold a key issued by a manager. */
export async function memberIdByEmail(ctx: Pick<TeamContext, "team">, email: string): Promise<string> {
  const holder = await db().membership.findFirst({
    where: { teamId: ctx.team.id, user: { email: email.toLowerCase() } },
    select: { userId: true },
  });
  if (!holder) throw new AppError("not_found", KEY_ERRORS.notMember);
  return holder.userId;
}

export async function teamPolicy(teamId: string, tx: Tx = db()): Promise<TeamKeyPolicy> {
  const team = await tx.team.findUniqueOrThrow({ where: { id: teamId }, select: { keyPolicy: true } });
  return team.keyPolicy ? teamKeyPolicySchema.parse(team.keyPolicy) : DEFAULT_TEAM_POLICY;
}

export function ceilingOrThrow(
  requested: KeyScopes,
  policy: TeamKeyPolicy,
  role: Parameters<typeof applyCeiling>[2],
): KeyScopes {
  const result = applyCeiling(requested, policy, role);
  if (!result.ok) {
    const fields: Record<string, string[]> = {};
    for (const problem of result.problems) (fields[problem.path] ??= []).push(problem.message);
    // The API's message names fields by their JSON path; forms show each field's messages by its label.
    const message = result.problems.map((p) => `${p.path}: ${p.message}`).join(" ");
    throw new AppError("unprocessable", message, fields);
  }
  return result.scopes;
}

export const keyLabel = (name: string, prefix: string) => `${name} (${prefix}…)`;

/**
 * Issues a key for the actor, or — with api_keys.manage — for another member. Scopes are clamped to the
 * team policy and the holder's role (a viewer's key can only read). Returns the full key: shown once.
 */
export async function createKey(
  ctx: TeamContext,
  input: { name: string; scopes: KeyScopes; holderUserId?: string; rotationDays?: number },
) {
  const holderId = input.holderUserId ?? ctx.user.id;
  if (holderId !== ctx.user.id && !ctx.permissions.has("api_keys.manage")) throw new AppError("forbidden");
  return issueKey(
    { teamId: ctx.team.id, holderId, createdById: ctx.user.id, actor: ctx.actor, request: ctx.request },
    input,
  );
}

/** Who a key is issued to and by, for the audit trail (member keys here, management keys in management.ts). */
export type IssueScope = {
  teamId: string;
  holderId: string;
  createdById: string | null;
  actor: AuditActor;
  request: RequestContext;
};

/** Shared by the web and the operator CLI. */
export async function issueKey(scope: IssueScope, input: { name: string; scopes: KeyScopes; rotationDays?: number }) {
  const generated = generateKey("live");
  const created = await transaction(async (tx) => {
    const holder = await tx.membership.findFirst({
      where: { teamId: scope.teamId, userId: scope.holderId },
      select: { role: true, user: { select: { email: true } } },
    });
    if (!holder) throw new AppError("not_found", KEY_ERRORS.notMember);
    const scopes = ceilingOrThrow(input.scopes, await teamPolicy(scope.teamId, tx), holder.role);
    if (input.rotationDays !== undefined) {
      // A key's own rotation period may only be shorter than the team's rotation policy allows.
      const problem = rotationDaysProblem(await teamRotationPolicy(scope.teamId, tx), "member", input.rotationDays);
      if (problem) throw new AppError("unprocessable", `rotationDays: ${problem}`, { rotationDays: [problem] });
    }
    const row = await tx.apiKey.create({
      data: {
        teamId: scope.teamId,
        kind: "live",
        userId: scope.holderId,
        name: input.name,
        hash: generated.hash,
        prefix: generated.prefix,
        scopes,
        createdById: scope.createdById,
        expiresAt: scopes.expiresAt ? new Date(scopes.expiresAt) : null,
        rotationDays: input.rotationDays ?? null,
      },
      select: { id: true, prefix: true, name: true },
    });
    await recordAudit(tx, {
      teamId: scope.teamId,
      actor: scope.actor,
      action: "api_key.create",
      targets: [
        { type: "api_key", id: row.id, label: keyLabel(row.name, row.prefix) },
        { type: "user", id: scope.holderId, label: holder.user.email },
      ],
      metadata: { scopes, ...(input.rotationDays !== undefined ? { rotationDays: input.rotationDays } : {}) },
      context: scope.request,
    });
    return { ...row, scopes };
  });
  return { ...created, key: generated.key };
}

const earliest = (a: Date | null, b: Date | null): Date | null => (a && b ? (a < b ? a : b) : (a ?? b));

export async function updateKey(ctx: TeamContext, id: string, input: { name?: string; scopes?: KeyScopes }) {
  return transaction(async (tx) => {
    const row = await tx.apiKey.findFirst({
      where: { id, ...visibleKeys(ctx) },
      select: {
        id: true,
        name: true,
        prefix: true,
        hash: true,
        scopes: true,
        userId: true,
        revokedAt: true,
        overlapEndsAt: true,
      },
    });
    if (!row) throw new AppError("not_found");
    if (row.revokedAt) throw new AppError("conflict", KEY_ERRORS.revoked);
    const holder = await tx.membership.findFirst({
      where: { teamId: ctx.team.id, userId: row.userId ?? "" },
      select: { role: true },
    });
    if (!holder) throw new AppError("not_found");
    const before = keyScopesSchema.parse(row.scopes);
    const after = input.scopes ? ceilingOrThrow(input.scopes, await teamPolicy(ctx.team.id, tx), holder.role) : before;
    await tx.apiKey.update({
      where: { id, teamId: ctx.team.id },
      data: {
        name: input.name ?? row.name,
        scopes: after,
        // A rolled key stays bound by its overlap's end, whatever its own expiry becomes.
        expiresAt: earliest(after.expiresAt ? new Date(after.expiresAt) : null, row.overlapEndsAt),
      },
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "api_key.update",
      targets: [{ type: "api_key", id, label: keyLabel(input.name ?? row.name, row.prefix) }],
      metadata: {
        before,
        after,
        ...(input.name && input.name !== row.name ? { renamed: { from: row.name, to: input.name } } : {}),
      },
      context: ctx.request,
    });
    await notifyKeyChange(tx, { hashes: [row.hash] });
    return { id, scopes: after };
  });
}

/**
 * Revokes the one live key matching `where` within the actor's team (404 otherwise): audited, and the
 * proxy's cache hears of it on commit. Shared by member keys, management keys and the operator CLI.
 */
export async function revokeApiKey(
  ctx: TeamScope,
  where: Prisma.ApiKeyWhereInput,
  metadata: (row: { userId: string | null }) => Prisma.InputJsonObject,
) {
  await transaction(async (tx) => {
    const row = await tx.apiKey.findFirst({
      where: { ...where, teamId: ctx.team.id, revokedAt: null },
      select: { id: true, name: true, prefix: true, hash: true, userId: true },
    });
    if (!row) throw new AppError("not_found");
    await tx.apiKey.update({
      where: { id: row.id, teamId: ctx.team.id },
      data: { revokedAt: new Date(), revokedById: ctx.user?.id ?? null, revokedReason: "revoked" },
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "api_key.revoke",
      targets: [{ type: "api_key", id: row.id, label: keyLabel(row.name, row.prefix) }],
      metadata: metadata(row),
      context: ctx.request,
    });
    await notifyKeyChange(tx, { hashes: [row.hash] });
  });
}

export function revokeKey(ctx: TeamContext, id: string) {
  return revokeApiKey(ctx, { id, ...visibleKeys(ctx) }, (row) => ({
    reason: row.userId === ctx.user.id ? "revoked by its holder" : "revoked by an admin",
  }));
}

/** In the same transaction as a member's removal: every key they hold in the team stops working at once. */
export async function revokeMemberKeys(
  tx: Tx,
  input: { teamId: string; userId: string; actor: AuditActor; request: RequestContext },
) {
  const keys = await tx.apiKey.findMany({
    where: { teamId: input.teamId, userId: input.userId, revokedAt: null },
    select: { id: true, name: true, prefix: true, hash: true },
  });
  if (keys.length === 0) return 0;
  await tx.apiKey.updateMany({
    where: { teamId: input.teamId, userId: input.userId, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: "member_removed" },
  });
  for (const key of keys) {
    await recordAudit(tx, {
      teamId: input.teamId,
      actor: input.actor,
      action: "api_key.revoke",
      targets: [{ type: "api_key", id: key.id, label: keyLabel(key.name, key.prefix) }],
      metadata: { reason: "member removed from the team", automatic: true },
      context: input.request,
    });
  }
  await notifyKeyChange(tx, { hashes: keys.map((k) => k.hash) });
  return keys.length;
}

/**
 * A member's role changed: their keys keep their own scopes, but the role is a ceiling on every one of them,
 * so each node's cache drops them and recomputes what they may do on the next request.
 */
export async function memberCeilingChanged(tx: Tx, input: { teamId: string; userIds: string[] }): Promise<void> {
  const keys = await tx.apiKey.findMany({
    where: { teamId: input.teamId, userId: { in: input.userIds }, revokedAt: null },
    select: { hash: true },
  });
  if (keys.length > 0) await notifyKeyChange(tx, { hashes: keys.map((k) => k.hash) });
}
