// Retention: how long a team keeps its audit events (default 400 days, at least 90), and the pruning the job
// queue runs. Pruning goes through the database function audit_prune() (migration 20261207032742_audit_chain):
// the only way past the append-only trigger, and the trigger itself never lets an event younger than 90 days
// go. It removes a prefix of the team's chain and moves the anchor to the last removed event, so
// verification still succeeds; the pruning is recorded as an "audit.prune" event in the same transaction.
import { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import type { QueueSpec } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import type { TeamScope } from "@/lib/teams/context";

export const MIN_AUDIT_RETENTION_DAYS = 90;
export const DEFAULT_AUDIT_RETENTION_DAYS = 400;
// The door's permission for changing it: owners and admins, like the key policy (lib/auth/permissions.ts).
export const AUDIT_RETENTION_PERMISSION = "api_keys.policy" as const;

export const auditRetentionSchema = z
  .number({ error: "Retention must be a number of days." })
  .int("Retention must be a whole number of days.")
  .min(MIN_AUDIT_RETENTION_DAYS, `Audit events are kept at least ${MIN_AUDIT_RETENTION_DAYS} days.`)
  .max(36_500, "Retention can be at most 36,500 days.");

const DAY_MS = 24 * 60 * 60 * 1000;
const PRUNER: AuditActor = { type: "system", label: "audit retention" };

export async function readAuditRetention(ctx: Pick<TeamScope, "team">): Promise<number> {
  const team = await db().team.findUniqueOrThrow({
    where: { id: ctx.team.id },
    select: { auditRetentionDays: true },
  });
  return team.auditRetentionDays;
}

/** Sets the team's retention period (audited with from/to). Throws unprocessable below the minimum. */
export async function updateAuditRetention(ctx: TeamScope, days: number): Promise<void> {
  const parsed = z.object({ days: auditRetentionSchema }).safeParse({ days });
  if (!parsed.success) throw new AppError("unprocessable", "Invalid retention", zodFieldErrors(parsed.error));
  await transaction(async (tx) => {
    const before = await tx.team.findUniqueOrThrow({
      where: { id: ctx.team.id },
      select: { auditRetentionDays: true },
    });
    // key-state: unaffected — the audit retention period is not part of what a key may do.
    await tx.team.update({ where: { id: ctx.team.id }, data: { auditRetentionDays: parsed.data.days } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "audit.retention_update",
      targets: [{ type: "team", id: ctx.team.id, label: ctx.team.name }],
      metadata: { from: before.auditRetentionDays, to: parsed.data.days },
      context: ctx.request,
    });
  });
}

/**
 * Deletes the team's events created before `now` minus its retention period and records "audit.prune"
 * (count, before). Nothing to prune: nothing happens, and no event is recorded. Returns the count.
 */
export async function pruneAuditEvents(teamId: string, now: Date, actor: AuditActor = PRUNER): Promise<number> {
  const team = await db().team.findUnique({ where: { id: teamId }, select: { auditRetentionDays: true, name: true } });
  if (!team) return 0;
  const before = new Date(now.getTime() - Math.max(team.auditRetentionDays, MIN_AUDIT_RETENTION_DAYS) * DAY_MS);
  return transaction(async (tx) => {
    const [result] = await tx.$queryRaw<{ deleted: number }[]>`
      SELECT "audit_prune"(${teamId}::uuid, ${before}::timestamp(3))::int AS deleted`;
    const deleted = result?.deleted ?? 0;
    if (deleted > 0)
      await recordAudit(tx, {
        teamId,
        actor,
        action: "audit.prune",
        targets: [{ type: "team", id: teamId, label: team.name }],
        metadata: { count: deleted, before: before.toISOString(), retentionDays: team.auditRetentionDays },
        context: { ip: null, userAgent: null },
      });
    return deleted;
  });
}

/** For the job queue: prunes every team, one transaction each. Returns the teams that had events pruned. */
export async function pruneAllTeams(now: Date): Promise<{ teamId: string; deleted: number }[]> {
  const pruned: { teamId: string; deleted: number }[] = [];
  let after: string | undefined;
  for (;;) {
    const teams = await db().team.findMany({
      select: { id: true },
      orderBy: { id: "asc" },
      take: 500,
      ...(after ? { where: { id: { gt: after } } } : {}),
    });
    for (const team of teams) {
      const deleted = await pruneAuditEvents(team.id, now);
      if (deleted > 0) pruned.push({ teamId: team.id, deleted });
    }
    if (teams.length < 500) return pruned;
    after = teams.at(-1)?.id;
  }
}

export const AUDIT_PRUNE_QUEUE = "audit-prune";

/** The job queue's daily pruning (web-process.ts schedules it; pg-boss runs it once per cluster). */
export function auditPruneQueue(now: () => Date = () => new Date()): QueueSpec {
  return {
    name: AUDIT_PRUNE_QUEUE,
    retryLimit: 3,
    retryDelaySeconds: 60,
    expireInSeconds: 15 * 60,
    handler: async () => {
      const pruned = (await pruneAllTeams(now())).filter((team) => team.deleted > 0);
      if (pruned.length > 0) logger.info({ teams: pruned.length }, "pruned audit events past retention");
    },
  };
}
