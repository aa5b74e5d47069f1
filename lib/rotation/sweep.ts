// The rotation sweep, run by the job queue every minute (one runner per cluster: pg-boss's cron fires once)
// and judged at the injected clock's `now`. For every team it
//  - ends rolled keys' overlaps (the proxy already refuses them from overlapEndsAt: their expiresAt),
//  - expires member and management keys past their due date plus the grace period (policy "expire"),
//  - sends each reminder once per key, due date and offset: the RotationReminder row's unique index decides,
//    in the transaction that records the audit event (which the team's webhooks receive through the audit
//    outbox: Standard Webhooks signature, retries with backoff) and enqueues the e-mail job,
//  - prunes hourly request counts older than two days.
// Everything is state in PostgreSQL, so a restart, a second server or a clock jump sends nothing twice.
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { db, type Tx } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { env } from "@/lib/env";
import { sendInTransaction } from "@/lib/jobs/queue";
import { notifyKeyChange } from "@/lib/keys/invalidation";
import { rotationItems, type RotationItem } from "./due";
import { reminderEmail } from "./mail";
import { remindersOwed } from "./policy";

export const ROTATION_MAIL_QUEUE = "rotation-reminder-mail";
export const ROTATION_SWEEP_QUEUE = "rotation-sweep";

const SYSTEM: AuditActor = { type: "system", label: "Key rotation" };
const NO_REQUEST = { ip: null, userAgent: null } as const;
const DAY_MS = 86_400_000;

export type SweepResult = { reminders: number; expired: number; overlapsEnded: number };

/** Sweeps every team at `now`. */
export async function runRotationSweep(now: Date): Promise<SweepResult> {
  const result: SweepResult = { reminders: 0, expired: 0, overlapsEnded: 0 };
  const teams = await db().team.findMany({ select: { id: true, slug: true, name: true } });
  for (const team of teams) {
    const one = await sweepTeam(team, now);
    result.reminders += one.reminders;
    result.expired += one.expired;
    result.overlapsEnded += one.overlapsEnded;
  }
  await db().keyUsageHour.deleteMany({ where: { hour: { lt: new Date(now.getTime() - 2 * DAY_MS) } } });
  return result;
}

type TeamRef = { id: string; slug: string; name: string };

export async function sweepTeam(team: TeamRef, now: Date): Promise<SweepResult> {
  const result: SweepResult = { reminders: 0, expired: 0, overlapsEnded: 0 };
  result.overlapsEnded = await endOverlaps(team, now);
  const { policy, items } = await rotationItems(team.id, now);
  for (const item of items) {
    if (item.overlapEndsAt) continue; // being replaced: its successor is reminded in its own time
    if (item.expiresAt && item.expiresAt <= now) {
      if (await expireKey(team, item)) result.expired++;
      continue;
    }
    const owed = remindersOwed(policy, item, now);
    if (owed.length > 0) result.reminders += await remind(team, item, owed);
  }
  return result;
}

/** Rolled keys whose overlap is over: revoked, audited, and every proxy cache told. */
async function endOverlaps(team: TeamRef, now: Date): Promise<number> {
  const ended = await db().apiKey.findMany({
    where: { teamId: team.id, revokedAt: null, overlapEndsAt: { lte: now } },
    select: { id: true },
  });
  let count = 0;
  for (const { id } of ended)
    if (await revokeAutomatically(team, id, now, "rolled", "api_key.revoke", { reason: "rolled: the overlap ended" }))
      count++;
  return count;
}

function expireKey(team: TeamRef, item: RotationItem): Promise<boolean> {
  return revokeAutomatically(team, item.id, item.expiresAt ?? new Date(), "rotation_overdue", "key.rotation_expire", {
    reason: "not rotated by its due date and grace period",
    dueAt: item.dueAt.toISOString(),
  });
}

async function revokeAutomatically(
  team: TeamRef,
  id: string,
  at: Date,
  reason: string,
  action: "api_key.revoke" | "key.rotation_expire",
  metadata: Record<string, string>,
): Promise<boolean> {
  return transaction(async (tx) => {
    const row = await tx.apiKey.findFirst({
      where: { id, teamId: team.id, revokedAt: null },
      select: { id: true, name: true, prefix: true, hash: true },
    });
    if (!row) return false; // revoked meanwhile (by someone, or another sweep)
    const changed = await tx.apiKey.updateMany({
      where: { id, teamId: team.id, revokedAt: null },
      data: { revokedAt: at, revokedReason: reason },
    });
    if (changed.count === 0) return false;
    await recordAudit(tx, {
      teamId: team.id,
      actor: SYSTEM,
      action,
      targets: [{ type: "api_key", id: row.id, label: `${row.name} (${row.prefix}…)` }],
      metadata: { ...metadata, automatic: true },
      context: NO_REQUEST,
    });
    await notifyKeyChange(tx, { hashes: [row.hash] });
    return true;
  });
}

/** Owners and admins (upstream and management keys), or the key's holder (member keys). */
async function recipients(tx: Tx, teamId: string, item: RotationItem): Promise<string[]> {
  if (item.kind === "member") return item.holderEmail ? [item.holderEmail] : [];
  const rows = await tx.membership.findMany({
    where: { teamId, role: { in: ["owner", "admin"] } },
    select: { user: { select: { email: true } } },
  });
  return rows.map((row) => row.user.email);
}

async function remind(team: TeamRef, item: RotationItem, owed: ReturnType<typeof remindersOwed>): Promise<number> {
  return transaction(async (tx) => {
    const inserted = await tx.rotationReminder.createManyAndReturn({
      data: owed.map((reminder) => ({
        teamId: team.id,
        subjectType: item.subjectType,
        subjectId: item.id,
        dueAt: reminder.dueAt,
        offsetDays: reminder.offsetDays,
        sent: reminder.send,
      })),
      skipDuplicates: true,
      select: { id: true, offsetDays: true, sent: true },
    });
    const toSend = inserted.find((row) => row.sent);
    if (!toSend) return 0;
    await recordAudit(tx, {
      teamId: team.id,
      actor: SYSTEM,
      action: "key.rotation_reminder",
      targets: [
        { type: item.subjectType, id: item.id, label: item.label },
        ...(item.holderId ? [{ type: "user" as const, id: item.holderId, label: item.holderEmail ?? "" }] : []),
      ],
      metadata: {
        kind: item.kind,
        dueAt: item.dueAt.toISOString(),
        offsetDays: toSend.offsetDays,
        ...(item.expiresAt ? { expiresAt: item.expiresAt.toISOString() } : {}),
      },
      context: NO_REQUEST,
    });
    const link =
      item.subjectType === "upstream_key"
        ? `${env().APP_URL}/t/${team.slug}/upstream-keys`
        : item.kind === "management"
          ? `${env().APP_URL}/t/${team.slug}/keys/settings`
          : `${env().APP_URL}/t/${team.slug}/keys/${item.id}`;
    for (const to of await recipients(tx, team.id, item)) {
      const mail = reminderEmail({ to, teamName: team.name, item, offsetDays: toSend.offsetDays, link });
      await sendInTransaction(tx, ROTATION_MAIL_QUEUE, crypto.randomUUID(), { ...mail, reminderId: toSend.id });
    }
    return 1;
  });
}
