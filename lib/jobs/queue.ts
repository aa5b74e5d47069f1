// The job queue: pg-boss on the app's own PostgreSQL (schema "pgboss"), for work that must survive a restart
// and be retried with backoff — audit webhook deliveries now, key-rotation reminders next. Every running
// server works the queue (jobs are claimed with SKIP LOCKED, so each job runs once); pg-boss's cron is
// deduplicated across servers, so one schedule fires once per cluster.
//
// Jobs are enqueued INSIDE the transaction of the change that causes them (txExecutor): a rolled-back change
// sends nothing, a committed one cannot lose its job. Sending needs no worker, only the installed schema.
import PgBoss from "pg-boss";
import type { Tx } from "@/lib/db/client";
import { logger } from "@/lib/logger";

export const JOB_SCHEMA = "pgboss";

export type JobHandler = (data: unknown, job: { id: string; retryCount: number }) => Promise<void>;

export type QueueSpec = {
  name: string;
  handler: JobHandler;
  /** Attempts after the first, with exponential backoff from retryDelay seconds (pg-boss: delay × 2^n). */
  retryLimit: number;
  retryDelaySeconds: number;
  expireInSeconds?: number;
};

let sender: PgBoss | null = null;

function connectionStringOf(explicit?: string): string {
  const connectionString = explicit ?? process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set");
  return connectionString;
}

/** A pg-boss instance for sending in a transaction: it never opens a connection of its own for that. */
function senderBoss(): PgBoss {
  sender ??= new PgBoss({ connectionString: connectionStringOf(), schema: JOB_SCHEMA, max: 1 });
  return sender;
}

/** Creates the queues with their retry policy (pg-boss leaves a queue that exists as it is). */
async function createQueues(boss: PgBoss, queues: Omit<QueueSpec, "handler">[]): Promise<void> {
  for (const queue of queues)
    await boss.createQueue(queue.name, {
      name: queue.name,
      retryLimit: queue.retryLimit,
      retryDelay: queue.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: queue.expireInSeconds ?? 60,
    });
}

/** pg-boss's SQL, run on the caller's Prisma transaction. */
export function txExecutor(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      const params = values.map((value) =>
        value === undefined
          ? null
          : typeof value === "object" && value !== null && !(value instanceof Date)
            ? JSON.stringify(value)
            : value,
      );
      const rows = await tx.$queryRawUnsafe<unknown[]>(text, ...params);
      return { rows };
    },
  };
}

/** Enqueues a job in the transaction `tx` (its id given, so the job and its record share one). */
export async function sendInTransaction(tx: Tx, queue: string, id: string, data: object): Promise<void> {
  await senderBoss().send(queue, data, { id, db: txExecutor(tx) });
}

export type JobRunner = { boss: PgBoss; stop: (options?: { graceful?: boolean }) => Promise<void> };

/**
 * Installs (or upgrades) the queue's schema, creates the queues and works them. `pollingIntervalSeconds`
 * bounds how long a new job waits when no worker was woken (pg-boss's minimum is 0.5 s).
 */
export async function startJobRunner(
  queues: QueueSpec[],
  options: {
    connectionString?: string;
    pollingIntervalSeconds?: number;
    schedules?: { queue: string; cron: string }[];
  } = {},
): Promise<JobRunner> {
  const boss = new PgBoss({
    connectionString: connectionStringOf(options.connectionString),
    schema: JOB_SCHEMA,
    max: 4,
    application_name: "keyward-jobs",
  });
  boss.on("error", (error: unknown) => logger.warn({ err: error }, "job queue error"));
  await boss.start();
  await createQueues(boss, queues);
  for (const queue of queues) {
    await boss.work<unknown>(
      queue.name,
      { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1, includeMetadata: true },
      async (jobs) => {
        for (const job of jobs) await queue.handler(job.data, { id: job.id, retryCount: job.retryCount });
      },
    );
  }
  for (const schedule of options.schedules ?? []) await boss.schedule(schedule.queue, schedule.cron);
  return {
    boss,
    stop: async ({ graceful = true } = {}) => {
      await boss.stop({ graceful, wait: true, timeout: 10_000 });
    },
  };
}

/** Installs the queue's schema and queues without working them (webhook creation, before the first send). */
export async function installJobQueues(queues: Omit<QueueSpec, "handler">[]): Promise<void> {
  const boss = new PgBoss({
    connectionString: connectionStringOf(),
    schema: JOB_SCHEMA,
    max: 1,
    supervise: false,
    schedule: false,
  });
  boss.on("error", (error: unknown) => logger.warn({ err: error }, "job queue error"));
  await boss.start();
  try {
    await createQueues(boss, queues);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
