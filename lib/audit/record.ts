// recordAudit: written inside the same transaction as the change it describes, so neither exists alone.
import { appendToChain } from "@/lib/audit/chain";
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { enqueueAuditDeliveries } from "./outbox";

export const AUDIT_ACTIONS = [
  "user.sign_up",
  "user.password_change",
  "user.sign_out_everywhere",
  "team.create",
  "team.rename",
  "invite.create",
  "invite.revoke",
  "invite.accept",
  "member.role_change",
  "member.remove",
  "member.leave",
  "team.ownership_transfer",
  "upstream_key.create",
  "upstream_key.enable",
  "upstream_key.disable",
  "upstream_key.delete",
  "api_key.create",
  "api_key.update",
  "api_key.revoke",
  "team.key_policy_update",
  "team.delete",
  "encryption.reencrypt",
  "team.two_factor_policy_update",
  "user.two_factor_reset",
  "audit.export",
  "audit.prune",
  "audit.webhook_create",
  "audit.webhook_delete",
  "audit.retention_update",
  "api_key.roll",
  "key.rotation_reminder",
  "key.rotation_expire",
  "team.rotation_policy_update",
  "upstream_key.rotation_start",
  "upstream_key.rotation_complete",
  "upstream_key.rotation_failed",
  "upstream_key.admin_key_set",
  "upstream_key.admin_key_remove",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditActor =
  | { type: "user"; id: string; label: string }
  | { type: "api_key"; id: string; label: string }
  | { type: "system"; label: string };

export type AuditTarget = {
  type: "user" | "team" | "invite" | "membership" | "upstream_key" | "api_key";
  id: string;
  label?: string;
};

export type RequestContext = { ip: string | null; userAgent: string | null };

export type AuditInput = {
  teamId: string | null;
  actor: AuditActor;
  action: AuditAction;
  targets?: AuditTarget[];
  /** Non-secret details (old and new role, …). Never put a secret here. */
  metadata?: Prisma.InputJsonObject;
  context: RequestContext;
};

export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  const event = await tx.auditEvent.create({
    select: { id: true },
    // The team's hash chain (lib/audit/chain.ts) adds id, createdAt, seq, prevHash and hash.
    data: await appendToChain(tx, {
      teamId: input.teamId,
      actorType: input.actor.type,
      actorId: input.actor.type === "system" ? null : input.actor.id,
      actorLabel: input.actor.label,
      action: input.action,
      targets: input.targets ?? [],
      metadata: input.metadata ?? {},
      ip: input.context.ip,
      userAgent: input.context.userAgent?.slice(0, 512) ?? null,
    }),
  });
  // SIEM streaming: the deliveries and their jobs commit with the event (lib/audit/outbox.ts).
  if (input.teamId) await enqueueAuditDeliveries(tx, input.teamId, event.id);
}
