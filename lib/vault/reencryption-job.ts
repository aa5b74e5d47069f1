// Re-encrypting one team's secrets to the current master key in the background, started from the admin UI.
// The work itself is lib/crypto/reencrypt.ts (shared with `keyward migrate-keys`): idempotent and safe to
// interrupt, so a job that was running when the server stopped simply runs again at the next start.
import { transaction } from "@/lib/db/transaction";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { AppError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { appKeyring } from "@/lib/crypto/keyring";
import { countToReencrypt, reencryptBatch, type ReencryptCursor } from "@/lib/crypto/reencrypt";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/logger";
import type { TeamContext } from "@/lib/teams/context";

const BATCH_SIZE = 100;

export const JOB_ERRORS = {
  nothingToDo: "Every key of this team already uses the current master key.",
  failed: "Re-encryption stopped because of an error; the server log has the details. Starting it again resumes it.",
} as const;

const globalJobs = globalThis as unknown as { keywardJobPool?: pg.Pool; keywardRunningJobs?: Set<string> };

function pool(): pg.Pool {
  if (!globalJobs.keywardJobPool) {
    const created = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2, idleTimeoutMillis: 10_000 });
    // An idle connection the server drops (restart, failover) must not crash the process; the pool reconnects.
    created.on("error", (error) => logger.warn({ err: error }, "re-encryption pool connection lost"));
    globalJobs.keywardJobPool = created;
  }
  return globalJobs.keywardJobPool;
}

const running = (globalJobs.keywardRunningJobs ??= new Set<string>());

export type JobView = {
  id: string;
  status: string;
  total: number;
  done: number;
  toVersion: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

const JOB_FIELDS = {
  id: true,
  status: true,
  total: true,
  done: true,
  toVersion: true,
  error: true,
  createdAt: true,
  finishedAt: true,
} as const;

export async function latestJob(ctx: Pick<TeamContext, "team">): Promise<JobView | null> {
  return db().reencryptionJob.findFirst({
    where: { teamId: ctx.team.id },
    orderBy: { createdAt: "desc" },
    select: JOB_FIELDS,
  });
}

/** How many of the team's secrets are not under the current master key. */
export async function staleSecretCount(
  ctx: Pick<TeamContext, "team">,
): Promise<{ stale: number; currentVersion: number }> {
  const currentVersion = appKeyring().currentVersion;
  const { total } = await countToReencrypt({ connection: pool(), to: currentVersion, teamId: ctx.team.id });
  return { stale: total, currentVersion };
}

export async function startReencryptionJob(ctx: TeamContext): Promise<JobView> {
  const current = await latestJob(ctx);
  if (current?.status === "running") return current;
  const { stale, currentVersion } = await staleSecretCount(ctx);
  if (stale === 0) throw new AppError("conflict", JOB_ERRORS.nothingToDo);
  const job = await transaction(async (tx) => {
    const created = await tx.reencryptionJob.create({
      data: {
        teamId: ctx.team.id,
        toVersion: currentVersion,
        status: "running",
        total: stale,
        startedById: ctx.user.id,
      },
      select: JOB_FIELDS,
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "encryption.reencrypt",
      metadata: { jobId: created.id, to: currentVersion, rows: stale, scope: "team" },
      context: ctx.request,
    });
    return created;
  });
  void runJob(job.id, ctx.team.id, currentVersion);
  return job;
}

async function runJob(jobId: string, teamId: string, toVersion: number): Promise<void> {
  if (running.has(jobId)) return;
  running.add(jobId);
  try {
    // The cursor keeps each batch from re-scanning rows already done.
    let cursor: ReencryptCursor | undefined;
    for (;;) {
      const batch = await reencryptBatch({
        connection: pool(),
        keyring: appKeyring(),
        to: toVersion,
        teamId,
        batchSize: BATCH_SIZE,
        cursor,
      });
      const { updated, remaining } = batch;
      cursor = batch.cursor;
      if (updated > 0)
        await db().reencryptionJob.update({ where: { id: jobId }, data: { done: { increment: updated } } });
      if (!remaining) break;
      if (updated === 0) await sleep(200); // another worker (the CLI, say) holds the rows: back off
    }
    await db().reencryptionJob.update({ where: { id: jobId }, data: { status: "done", finishedAt: new Date() } });
    logger.info({ jobId, teamId }, "re-encryption job finished");
  } catch (error) {
    logger.error({ err: error, jobId, teamId }, "re-encryption job failed");
    await db()
      .reencryptionJob.update({
        where: { id: jobId },
        data: { status: "failed", error: JOB_ERRORS.failed, finishedAt: new Date() },
      })
      .catch(() => undefined);
  } finally {
    running.delete(jobId);
  }
}

/** At start-up: jobs that were running when the server stopped pick up where they left off. */
export async function resumeReencryptionJobs(): Promise<number> {
  const jobs = await db().reencryptionJob.findMany({
    where: { status: "running" },
    select: { id: true, teamId: true, toVersion: true },
  });
  for (const job of jobs) void runJob(job.id, job.teamId, job.toVersion);
  return jobs.length;
}
