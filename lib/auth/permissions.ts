// Roles and what each may do: the one map. Handlers ask `can(role, permission)`; they never compare roles.
import type { Role } from "@/lib/generated/prisma/enums";

export type { Role };

export const ROLES = ["owner", "admin", "member", "viewer", "auditor"] as const satisfies readonly Role[];

export const PERMISSIONS = [
  "team.read",
  "team.update",
  "team.delete",
  "members.read",
  "members.invite",
  "members.update_role",
  "members.remove",
  "ownership.transfer",
  "audit.read",
  // Streaming the audit log to a SIEM: adding and removing audit webhooks (owners and admins).
  "audit.webhooks",
  "upstream_keys.read",
  "upstream_keys.write",
  // Member keys: everyone manages their own (within the ceiling); owners and admins manage everyone's,
  // set the team's key policy and issue management keys for the REST API.
  "api_keys.own",
  "api_keys.manage",
  "api_keys.policy",
  "management_keys.write",
  // "2FA required" for the team: the owners' call, like the team's address.
  "security.policy",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: ALL,
  // Renaming the team or moving its address (team.update), deleting it and handing it over are the owners'.
  admin: ALL.filter(
    (p) => p !== "team.update" && p !== "team.delete" && p !== "ownership.transfer" && p !== "security.policy",
  ),
  member: ["team.read", "members.read", "api_keys.own"],
  viewer: ["team.read", "members.read", "api_keys.own"],
  // A security lead reviewing the team: the audit log and who is in the team; no keys of any kind, so an
  // auditor neither holds a member key nor sees the OpenAI keys.
  auditor: ["team.read", "members.read", "audit.read"],
};

/**
 * Whole sections of a team that a role without the permission must not learn exist (the audit log, the OpenAI
 * keys, member keys): the door answers 404 for them, as for a team one is not in. Other refusals stay 403,
 * because the section is visible and only the action is not allowed.
 */
export const HIDDEN_SECTIONS: ReadonlySet<Permission> = new Set<Permission>([
  "audit.read",
  "upstream_keys.read",
  "api_keys.own",
]);

/** The error code of a refusal at the door: not_found for a hidden section, forbidden otherwise. */
export function refusalCode(permission: Permission): "not_found" | "forbidden" {
  return HIDDEN_SECTIONS.has(permission) ? "not_found" : "forbidden";
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

// Higher rank = more power. Used for "who may manage whom", never for permissions themselves.
const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0, auditor: 0 };

/**
 * Whether an actor may give `target` the role `to` (or remove them, with `to` undefined). An actor never
 * grants above their own role and never manages someone ranked above them: an admin cannot demote or
 * remove an owner, nor make anyone an owner.
 */
export function canManage(actor: Role, target: Role, to?: Role): boolean {
  if (RANK[target] > RANK[actor]) return false;
  if (to !== undefined && RANK[to] > RANK[actor]) return false;
  return true;
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  viewer: "Viewer",
  auditor: "Auditor",
};
