// Team management keys (kw_mgmt_…): REST API access for scripts, with scopes that are a subset of their
// creator's permissions. Held by their creator, so removing the creator from the team revokes them too.
import { transaction } from "@/lib/db/transaction";
import { z } from "zod";
import { assertTwoFactorCompliance } from "@/lib/teams/two-factor-policy";
import { AppError } from "@/lib/api/errors";
import { recordAudit, type RequestContext } from "@/lib/audit/record";
import { ROLE_PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";
import { generateKey, hashKey, parseKey } from "@/lib/keys/format";
import { revokeApiKey, type IssueScope } from "@/lib/keys/store";
import type { TeamContext } from "@/lib/teams/context";

/** What a management key can be granted, and what each grant implies. */
export const MANAGEMENT_SCOPES = {
  "members.read": ["team.read", "members.read"],
  "members.remove": ["team.read", "members.read", "members.remove"],
  "members.update_role": ["team.read", "members.read", "members.update_role"],
  "members.invite": ["team.read", "members.read", "members.invite"],
  "api_keys.manage": ["team.read", "api_keys.own", "api_keys.manage"],
  "api_keys.policy": ["team.read", "api_keys.policy"],
  "audit.read": ["team.read", "audit.read"],
} as const satisfies Record<string, readonly Permission[]>;
export type ManagementScope = keyof typeof MANAGEMENT_SCOPES;
export const managementScopesSchema = z
  .array(z.enum(Object.keys(MANAGEMENT_SCOPES) as [ManagementScope, ...ManagementScope[]]))
  .min(1, "Choose at least one scope.");

export const MANAGEMENT_KEY_ERRORS = {
  invalid: "Invalid API key.",
  wider: "A management key cannot have more rights than the person creating it.",
  widerThanHolder: "A management key cannot have more rights than the member who holds it.",
  notMember: "That person is not a member of this team.",
} as const;

function permissionsOf(scopes: readonly ManagementScope[]): Set<Permission> {
  return new Set(scopes.flatMap((scope) => MANAGEMENT_SCOPES[scope]));
}

export async function createManagementKey(ctx: TeamContext, input: { name: string; scopes: ManagementScope[] }) {
  // The actor's own permissions (a session's role; a management key cannot create another).
  for (const permission of permissionsOf(input.scopes)) {
    if (!ctx.permissions.has(permission)) throw new AppError("forbidden", MANAGEMENT_KEY_ERRORS.wider);
  }
  return issueManagementKey(
    { teamId: ctx.team.id, holderId: ctx.user.id, createdById: ctx.user.id, actor: ctx.actor, request: ctx.request },
    input,
  );
}

/**
 * Issues a management key held by a member (the dashboard: its creator; the operator CLI: the member it
 * names). Its scopes may not exceed the holder's role, checked in the issuing transaction. Shown once.
 */
export async function issueManagementKey(scope: IssueScope, input: { name: string; scopes: ManagementScope[] }) {
  const generated = generateKey("mgmt");
  const row = await transaction(async (tx) => {
    const holder = await tx.membership.findFirst({
      where: { teamId: scope.teamId, userId: scope.holderId },
      select: { role: true, user: { select: { email: true } } },
    });
    if (!holder) throw new AppError("not_found", MANAGEMENT_KEY_ERRORS.notMember);
    const roleAllows = new Set<Permission>(ROLE_PERMISSIONS[holder.role]);
    for (const permission of permissionsOf(input.scopes)) {
      if (!roleAllows.has(permission)) throw new AppError("forbidden", MANAGEMENT_KEY_ERRORS.widerThanHolder);
    }
    const created = await tx.apiKey.create({
      data: {
        teamId: scope.teamId,
        kind: "mgmt",
        userId: scope.holderId,
        name: input.name,
        hash: generated.hash,
        prefix: generated.prefix,
        scopes: input.scopes,
        createdById: scope.createdById,
      },
      select: { id: true, name: true, prefix: true },
    });
    await recordAudit(tx, {
      teamId: scope.teamId,
      actor: scope.actor,
      action: "api_key.create",
      targets: [
        { type: "api_key", id: created.id, label: `${created.name} (${created.prefix}…)` },
        { type: "user", id: scope.holderId, label: holder.user.email },
      ],
      metadata: { kind: "management", scopes: input.scopes },
      context: scope.request,
    });
    return created;
  });
  return { ...row, key: generated.key };
}

export async function listManagementKeys(ctx: Pick<TeamContext, "team">) {
  const rows = await db().apiKey.findMany({
    where: { teamId: ctx.team.id, kind: "mgmt", revokedAt: null },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      createdAt: true,
      lastUsedAt: true,
      user: { select: { name: true } },
    },
  });
  return rows.map((row) => ({ ...row, scopes: managementScopesSchema.parse(row.scopes) }));
}

export function revokeManagementKey(ctx: TeamContext, id: string) {
  return revokeApiKey(ctx, { id, kind: "mgmt" }, () => ({ kind: "management" }));
}

/**
 * The team context of a request authenticated by a management key. An unknown, malformed or revoked key is
 * 401; a valid key used on another team's URL is 404, exactly like a session user who is not a member.
 */
export async function resolveManagementKeyContext(
  token: string,
  teamSlug: string,
  permission: Permission,
  request: RequestContext,
): Promise<TeamContext> {
  const parsed = parseKey(token);
  if (!parsed.ok || parsed.kind !== "mgmt") throw new AppError("unauthorized", MANAGEMENT_KEY_ERRORS.invalid);
  const key = await db().apiKey.findFirst({
    where: { hash: hashKey(token), kind: "mgmt", revokedAt: null },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      lastUsedAt: true,
      teamId: true,
      team: { select: { id: true, slug: true, name: true } },
      user: { select: { id: true, email: true, name: true } },
    },
  });
  if (!key?.user) throw new AppError("unauthorized", MANAGEMENT_KEY_ERRORS.invalid);
  if (key.team.slug !== teamSlug) throw new AppError("not_found");
  const membership = await db().membership.findFirst({
    where: { teamId: key.teamId, userId: key.user.id },
    select: { id: true, role: true },
  });
  if (!membership) throw new AppError("unauthorized", MANAGEMENT_KEY_ERRORS.invalid);
  const roleAllows = new Set(ROLE_PERMISSIONS[membership.role]);
  const permissions = new Set(
    [...permissionsOf(managementScopesSchema.parse(key.scopes))].filter((p) => roleAllows.has(p)),
  );
  if (!permissions.has(permission)) throw new AppError("forbidden");
  // A management key acts for its creator: if the team requires 2FA and they have none, it is refused too.
  await assertTwoFactorCompliance(key.teamId, key.user.id);
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
    // key-state: unaffected — only the last-used time, which no check reads
    await db().apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  }
  return {
    user: key.user,
    sessionId: "",
    team: key.team,
    membership,
    permissions,
    actor: { type: "api_key", id: key.id, label: `${key.name} (${key.prefix}…)` },
    request,
  };
}
