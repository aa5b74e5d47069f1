// The retention pruning as the job queue runs it: the daily schedule is registered with pg-boss, and a run
// of the "audit-prune" job prunes every team past its period, records audit.prune and keeps verify green.
import { randomBytes } from "node:crypto";
import { afterAll, expect, it } from "vitest";

process.env.AUTH_SECRET ||= randomBytes(32).toString("base64");
process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");

const { appendToChain, verifyChain } = await import("@/lib/audit/chain");
const { AUDIT_PRUNE_QUEUE, auditPruneQueue } = await import("@/lib/audit/retention");
const { transaction } = await import("@/lib/db/transaction");
const { startJobRunner } = await import("@/lib/jobs/queue");
const { db } = await import("@/lib/db/client");
const { auditEvents } = await import("@/lib/testing/seed");

const DAY_MS = 86_400_000;
const runner = await startJobRunner([auditPruneQueue()], {
  pollingIntervalSeconds: 0.5,
  schedules: [{ queue: AUDIT_PRUNE_QUEUE, cron: "17 3 * * *" }],
});
afterAll(() => runner.stop({ graceful: false }));

it("prunes past-retention events of every team from the queue, once per run, keeping the chain verifiable", async () => {
  expect((await runner.boss.getSchedules()).map((schedule) => schedule.name)).toContain(AUDIT_PRUNE_QUEUE);
  // A team whose history starts 500 days ago (pruning removes a prefix of the chain).
  const slug = `retention-job-${randomBytes(4).toString("hex")}`;
  const team = await db().team.create({ data: { slug, name: slug }, select: { id: true } });
  const old = Date.now() - 500 * DAY_MS;
  for (let n = 0; n < 3; n += 1)
    await transaction(async (tx) => {
      await tx.auditEvent.create({
        data: await appendToChain(
          tx,
          {
            teamId: team.id,
            actorType: "system",
            actorId: null,
            actorLabel: "old",
            action: "team.rename",
            targets: [],
            metadata: { n },
            ip: null,
            userAgent: null,
          },
          new Date(old + n),
        ),
      });
    });
  expect(await verifyChain(team.id)).toMatchObject({ ok: true });

  await runner.boss.send(AUDIT_PRUNE_QUEUE, {});
  await expect.poll(async () => (await auditEvents(team.id, "audit.prune")).length, { timeout: 20_000 }).toBe(1);
  const [pruned] = await auditEvents(team.id, "audit.prune");
  expect(pruned?.metadata).toMatchObject({ count: 3 });
  expect(await auditEvents(team.id, "team.rename")).toEqual([]);
  expect(await verifyChain(team.id)).toMatchObject({ ok: true });
});
