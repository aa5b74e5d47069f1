// Timeline entries in words: "created the key", "Wrong password". Shared by the overview's recent activity,
// the audit page and the export, so the three read alike.
import { describeSignInEvent } from "@/lib/auth/sign-in-event-labels";
import type { Prisma } from "@/lib/generated/prisma/client";
import { SignInEventKind as SIGN_IN_KINDS } from "@/lib/generated/prisma/enums";
import type { SignInEventKind } from "@/lib/generated/prisma/enums";
import type { AuditAction } from "./record";

export const ACTION_DESCRIPTIONS: Record<AuditAction, string> = {
  "user.sign_up": "signed up",
  "user.password_change": "changed their password",
  "user.sign_out_everywhere": "signed out everywhere",
  "user.two_factor_reset": "had two-factor authentication reset by an operator",
  "team.create": "created the team",
  "team.rename": "renamed the team to",
  "team.delete": "deleted the team",
  "invite.create": "invited",
  "invite.revoke": "revoked the invitation of",
  "invite.accept": "accepted an invitation",
  "member.role_change": "changed the role of",
  "member.remove": "removed",
  "member.leave": "left the team",
  "team.ownership_transfer": "transferred ownership to",
  "upstream_key.create": "added the OpenAI key",
  "upstream_key.enable": "enabled the OpenAI key",
  "upstream_key.disable": "disabled the OpenAI key",
  "upstream_key.delete": "deleted the OpenAI key",
  "api_key.create": "created the key",
  "api_key.update": "changed the scopes of the key",
  "api_key.revoke": "revoked the key",
  "team.key_policy_update": "changed the team's key policy",
  "team.two_factor_policy_update": "changed the team's two-factor policy",
  "encryption.reencrypt": "re-encrypted the team's keys",
  "audit.export": "exported the audit log",
  "audit.prune": "pruned audit events past the retention period",
  "audit.webhook_create": "added the audit webhook",
  "audit.webhook_delete": "removed the audit webhook",
  "audit.retention_update": "changed the audit retention period",
  "api_key.roll": "rolled the key",
  "key.rotation_reminder": "sent a rotation reminder for",
  "key.rotation_expire": "expired, past its rotation deadline, the key",
  "team.rotation_policy_update": "changed the team's rotation policy",
  "upstream_key.rotation_start": "started rotating the OpenAI key",
  "upstream_key.rotation_complete": "finished rotating the OpenAI key",
  "upstream_key.rotation_failed": "could not rotate the OpenAI key",
  "upstream_key.admin_key_set": "stored the OpenAI Admin key",
  "upstream_key.admin_key_remove": "removed the OpenAI Admin key",
};

// Actions whose first target is the actor (or the team itself): the sentence needs no object.
const NO_OBJECT = new Set<string>([
  "invite.accept",
  "member.leave",
  "team.create",
  "team.delete",
  "user.sign_up",
  "user.password_change",
  "user.sign_out_everywhere",
  "user.two_factor_reset",
  "team.key_policy_update",
  "team.two_factor_policy_update",
  "encryption.reencrypt",
  "audit.export",
  "audit.prune",
  "audit.retention_update",
  "team.rotation_policy_update",
  "upstream_key.admin_key_set",
  "upstream_key.admin_key_remove",
]);

export type Target = { type: string; id: string; label?: string };

/** The targets column, read defensively: it is JSON, written by many versions. */
export function targetsOf(value: unknown): Target[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== "object" || item === null) return [];
    const { type, id, label } = item as Record<string, unknown>;
    if (typeof type !== "string" || typeof id !== "string") return [];
    return [{ type, id, ...(typeof label === "string" ? { label } : {}) }];
  });
}

function isSignInKind(kind: string): kind is SignInEventKind {
  return Object.hasOwn(SIGN_IN_KINDS, kind);
}

/** "created the key", "Wrong password"; an unknown action reads as itself. */
export function describeAction(action: string, metadata: unknown): string {
  if (action.startsWith("sign_in.")) {
    const kind = action.slice("sign_in.".length);
    if (!isSignInKind(kind)) return action;
    return describeSignInEvent({ kind, metadata: (metadata ?? null) as Prisma.JsonValue }).label;
  }
  return (ACTION_DESCRIPTIONS as Record<string, string>)[action] ?? action;
}

/** The object of the sentence ("the key <label>"), or "" when the action has none. */
export function objectLabel(action: string, targets: unknown): string {
  if (NO_OBJECT.has(action) || action.startsWith("sign_in.")) return "";
  const first = targetsOf(targets)[0];
  return first?.label ?? "";
}

/** Whether the entry records something refused or failed (a wrong password, a locked account). */
export function outcomeOf(action: string): "success" | "failure" {
  return FAILED_ACTIONS.has(action) ? "failure" : "success";
}

export const FAILED_ACTIONS = new Set(
  ["wrong_password", "unknown_account", "wrong_code", "throttled", "locked_out"].map((kind) => `sign_in.${kind}`),
);
