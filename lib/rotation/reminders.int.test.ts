// Rotation reminders against real PostgreSQL, the real pg-boss queue, a real SMTP server and a real webhook
// receiver, on a clock the test moves: each reminder exactly at its offset and once, also when the job runner
// is restarted in the middle and when the clock jumps; e-mails to the holder (member keys) or to owners and
// admins (management and OpenAI keys); each reminder posted once to the team's webhooks, signed with the
// team's secret; a failing receiver retried with growing delays; grace expiry; the due list.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailbox, type ReceivedMail } from "@/e2e/support/mailbox";

process.env.AUTH_SECRET ||= randomBytes(32).toString("base64");
process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
const mailbox = await startMailbox();
process.env.SMTP_URL = mailbox.smtpUrl;

const { auditDeliveryQueue, createAuditWebhook } = await import("@/lib/audit/webhooks");
const { db } = await import("@/lib/db/client");
const { startJobRunner } = await import("@/lib/jobs/queue");
const { issueKey } = await import("@/lib/keys/store");
const { issueManagementKey } = await import("@/lib/keys/management");
const { addUpstreamKey } = await import("@/lib/upstream/keys");
const { manualClock } = await import("./clock");
const { dueItems, rotationItems } = await import("./due");
const { rotationMailQueue, rotationSweepQueue } = await import("./jobs");
const { ROTATION_SWEEP_QUEUE, runRotationSweep } = await import("./sweep");
const { updateRotationPolicy } = await import("./team-policy");
const { appErrorOf, contextIn, seedMember, seedUser, TEST_REQUEST } = await import("@/lib/testing/seed");

const DAY = 86_400_000;

type Hit = { headers: Record<string, string>; body: string; at: number; attempt: number };
async function receiver(fail: (attempt: number) => boolean = () => false) {
  const hits: Hit[] = [];
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]),
      );
      const id = headers["webhook-id"] ?? "";
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      hits.push({ headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now(), attempt });
      res.writeHead(fail(attempt) ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    hits,
    /** Delivered (2xx) reminder events: action and target label. */
    reminders: () =>
      hits
        .filter((hit) => !fail(hit.attempt))
        .map((hit) => JSON.parse(hit.body) as { data: { action: string; targets: { label?: string }[] } })
        .filter((body) => body.data.action === "key.rotation_reminder"),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const mails = async (to: string): Promise<ReceivedMail[]> =>
  (await (await fetch(`${mailbox.apiUrl}/?to=${encodeURIComponent(to)}`)).json()) as ReceivedMail[];

const runners: Awaited<ReturnType<typeof startJobRunner>>[] = [];
const receivers: Awaited<ReturnType<typeof receiver>>[] = [];
const clock = manualClock(new Date());
async function startRunner() {
  const runner = await startJobRunner(
    [
      rotationSweepQueue(clock),
      rotationMailQueue({ retryDelaySeconds: 1 }),
      auditDeliveryQueue({ retryDelaySeconds: 1 }),
    ],
    { pollingIntervalSeconds: 0.5 },
  );
  runners.push(runner);
  return runner;
}
/** One sweep through the job queue, as the every-minute schedule runs it; resolves once the job completed. */
async function sweepJob(runner: Awaited<ReturnType<typeof startRunner>>) {
  const id = await runner.boss.send(ROTATION_SWEEP_QUEUE, {});
  if (!id) throw new Error("the sweep was not enqueued");
  await expect
    .poll(async () => (await runner.boss.getJobById(ROTATION_SWEEP_QUEUE, id, { includeArchive: true }))?.state, {
      timeout: 20_000,
    })
    .toBe("completed");
}
const remindersOf = (subjectId: string) =>
  db().rotationReminder.findMany({ where: { subjectId }, orderBy: { offsetDays: "desc" } });

afterAll(async () => {
  for (const runner of runners) await runner.stop({ graceful: false }).catch(() => undefined);
  for (const server of receivers) await server.close();
  await mailbox.close();
});

describe("rotation reminders", () => {
  let owner: Awaited<ReturnType<typeof seedUser>>;
  let admin: Awaited<ReturnType<typeof seedMember>>;
  let member: Awaited<ReturnType<typeof seedMember>>;
  const issueScope = (holderId: string) => ({
    teamId: owner.team.id,
    holderId,
    createdById: owner.user.id,
    actor: { type: "system" as const, label: "test" },
    request: TEST_REQUEST,
  });
  beforeAll(async () => {
    owner = await seedUser("rot-owner");
    admin = await seedMember(owner.team, "admin", "rot-admin");
    member = await seedMember(owner.team, "member", "rot-member");
  });

  it(
    "reminds at exactly 14, 3 and 0 days before the due date, once each, across a runner restart",
    { timeout: 120_000 },
    async () => {
      const hooks = await receiver();
      receivers.push(hooks);
      const hook = await createAuditWebhook(await contextIn(owner, owner.team, "audit.webhooks"), { url: hooks.url });
      clock.set(new Date());
      const memberKey = await issueKey(issueScope(member.user.id), {
        name: "ci",
        scopes: { endpoints: { chat: "write" } },
      });
      const mgmtKey = await issueManagementKey(issueScope(admin.user.id), { name: "deploy", scopes: ["members.read"] });
      const upstream = await addUpstreamKey(
        { team: owner.team, actor: { type: "system", label: "test" }, request: TEST_REQUEST },
        { name: "prod", key: `sk-proj-${randomBytes(16).toString("hex")}`, weight: 1, skipCheck: true },
      );
      const created = (
        await db().apiKey.findUniqueOrThrow({ where: { id: memberKey.id }, select: { createdAt: true } })
      ).createdAt.getTime();
      const at = (days: number, extraMs = 0) => clock.set(new Date(created + days * DAY + extraMs));

      let runner = await startRunner();
      // A minute before the first offset (90 − 14 = day 76): nothing.
      at(76, -60_000);
      await sweepJob(runner);
      expect(await remindersOf(memberKey.id)).toEqual([]);
      // At the offset: one reminder for each 90-day key; the 180-day OpenAI key is not due.
      at(76, 1_000);
      await sweepJob(runner);
      await sweepJob(runner);
      expect((await remindersOf(memberKey.id)).map((r) => r.offsetDays)).toEqual([14]);
      expect((await remindersOf(mgmtKey.id)).map((r) => r.offsetDays)).toEqual([14]);
      expect(await remindersOf(upstream.id)).toEqual([]);

      // The server restarts: a new runner, the same database. Nothing is sent twice.
      await runner.stop();
      runner = await startRunner();
      await sweepJob(runner);
      expect((await remindersOf(memberKey.id)).map((r) => r.offsetDays)).toEqual([14]);
      at(87, 1_000);
      await sweepJob(runner);
      at(90, 1_000);
      await sweepJob(runner);
      await sweepJob(runner);
      expect((await remindersOf(memberKey.id)).map((r) => [r.offsetDays, r.sent])).toEqual([
        [14, true],
        [3, true],
        [0, true],
      ]);
      expect((await remindersOf(mgmtKey.id)).map((r) => r.offsetDays)).toEqual([14, 3, 0]);
      // A clock that jumps back sends nothing again.
      at(80);
      await sweepJob(runner);
      expect(await db().rotationReminder.count({ where: { teamId: owner.team.id } })).toBe(6);

      // E-mail at the real SMTP server: the member key's holder, three times; owners and admins for the
      // management key, three times each; never the key itself.
      await expect.poll(async () => (await mails(member.user.email)).length, { timeout: 20_000 }).toBe(3);
      const toMember = await mails(member.user.email);
      expect(toMember.map((m) => m.subject)).toEqual([
        expect.stringContaining("in 14 days"),
        expect.stringContaining("in 3 days"),
        expect.stringContaining("today"),
      ]);
      expect(toMember[0]!.text).toContain(`/t/${owner.team.slug}/keys/${memberKey.id}`);
      expect(toMember.some((m) => m.text.includes(memberKey.key))).toBe(false);
      await expect.poll(async () => (await mails(admin.user.email)).length, { timeout: 20_000 }).toBe(3);
      await expect.poll(async () => (await mails(owner.user.email)).length, { timeout: 20_000 }).toBe(3);
      expect((await mails(owner.user.email)).every((m) => m.subject.includes("management key"))).toBe(true);

      // Each reminder is an audit event, posted once to the team's webhook, signed with the team's secret.
      const events = await db().auditEvent.findMany({
        where: { teamId: owner.team.id, action: "key.rotation_reminder" },
      });
      expect(events).toHaveLength(6);
      await expect.poll(() => hooks.reminders().length, { timeout: 30_000 }).toBe(6);
      const ids = hooks.hits.map((hit) => hit.headers["webhook-id"]);
      expect(new Set(ids).size).toBe(ids.length);
      const reminderHit = hooks.hits.find((hit) => hit.body.includes("key.rotation_reminder"))!;
      const headers = {
        "webhook-id": reminderHit.headers["webhook-id"]!,
        "webhook-timestamp": reminderHit.headers["webhook-timestamp"]!,
        "webhook-signature": reminderHit.headers["webhook-signature"]!,
      };
      expect(() => new Webhook(hook.secret).verify(reminderHit.body, headers)).not.toThrow();
      const another = `whsec_${randomBytes(24).toString("base64")}`;
      expect(() => new Webhook(another).verify(reminderHit.body, headers)).toThrow();
    },
  );

  it("sends only the latest reminder when the clock jumps past several offsets", async () => {
    clock.set(new Date());
    const key = await issueKey(issueScope(member.user.id), { name: "jump", scopes: { endpoints: { chat: "write" } } });
    const created = (await db().apiKey.findUniqueOrThrow({ where: { id: key.id } })).createdAt.getTime();
    clock.set(new Date(created + 91 * DAY));
    await runRotationSweep(clock());
    expect((await remindersOf(key.id)).map((r) => [r.offsetDays, r.sent])).toEqual([
      [14, false],
      [3, false],
      [0, true],
    ]);
    const events = await db().auditEvent.findMany({
      where: { teamId: owner.team.id, action: "key.rotation_reminder" },
    });
    expect(events.filter((e) => JSON.stringify(e.targets).includes(key.id))).toHaveLength(1);
  });

  it("retries a failing webhook receiver with growing delays", { timeout: 60_000 }, async () => {
    const team = await seedUser("rot-flaky");
    const flaky = await receiver((attempt) => attempt <= 2);
    receivers.push(flaky);
    await createAuditWebhook(await contextIn(team, team.team, "audit.webhooks"), { url: flaky.url });
    clock.set(new Date());
    const key = await issueKey(
      {
        teamId: team.team.id,
        holderId: team.user.id,
        createdById: team.user.id,
        actor: { type: "system", label: "test" },
        request: TEST_REQUEST,
      },
      { name: "flaky", scopes: { endpoints: { chat: "write" } } },
    );
    const created = (await db().apiKey.findUniqueOrThrow({ where: { id: key.id } })).createdAt.getTime();
    if (runners.length === 0) await startRunner();
    clock.set(new Date(created + 76 * DAY + 1_000));
    await runRotationSweep(clock());
    await expect.poll(() => flaky.reminders().length, { timeout: 40_000 }).toBe(1);
    const attempts = flaky.hits.filter((hit) => hit.body.includes("key.rotation_reminder"));
    expect(attempts.map((hit) => hit.attempt)).toEqual([1, 2, 3]);
    // pg-boss's exponential backoff from 1 s: the n-th retry waits between 2^(n-1) and 2^n seconds.
    const gaps = [attempts[1]!.at - attempts[0]!.at, attempts[2]!.at - attempts[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_900);
  });

  it("expires a key past its due date and grace period when the policy says so", async () => {
    const team = await seedUser("rot-expire");
    const scope = { team: team.team, actor: { type: "system" as const, label: "test" }, request: TEST_REQUEST };
    await updateRotationPolicy(scope, { memberKeyMaxAgeDays: 30, atDeadline: "expire", graceDays: 7 });
    clock.set(new Date());
    const key = await issueKey(
      {
        teamId: team.team.id,
        holderId: team.user.id,
        createdById: team.user.id,
        actor: { type: "system", label: "test" },
        request: TEST_REQUEST,
      },
      { name: "old", scopes: { endpoints: { chat: "write" } } },
    );
    const created = (await db().apiKey.findUniqueOrThrow({ where: { id: key.id } })).createdAt.getTime();
    clock.set(new Date(created + 37 * DAY - 1_000));
    await runRotationSweep(clock());
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeNull();
    clock.set(new Date(created + 37 * DAY));
    await runRotationSweep(clock());
    const row = await db().apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.revokedReason).toBe("rotation_overdue");
    expect(await db().auditEvent.count({ where: { teamId: team.team.id, action: "key.rotation_expire" } })).toBe(1);
  });

  it("lists what is due under the policy, a key's own shorter period included", async () => {
    const team = await seedUser("rot-due");
    const scope = { team: team.team, actor: { type: "system" as const, label: "test" }, request: TEST_REQUEST };
    const issue = (name: string, rotationDays?: number) =>
      issueKey(
        {
          teamId: team.team.id,
          holderId: team.user.id,
          createdById: team.user.id,
          actor: { type: "system", label: "test" },
          request: TEST_REQUEST,
        },
        { name, scopes: { endpoints: { chat: "write" } }, ...(rotationDays ? { rotationDays } : {}) },
      );
    const plain = await issue("plain");
    const weekly = await issue("weekly", 7);
    // A key's own period may not exceed the policy.
    const tooLong = await appErrorOf(issue("too long", 91));
    expect(tooLong.fieldErrors?.rotationDays?.[0]).toContain("at most 90 days");
    const up = await addUpstreamKey(scope, { name: "prod", key: "sk-proj-abcdefgh1234", weight: 1, skipCheck: true });
    const now = new Date();
    const at = (days: number) => new Date(now.getTime() + days * DAY);
    const statusAt = async (days: number) =>
      Object.fromEntries((await rotationItems(team.team.id, at(days))).items.map((item) => [item.name, item.status]));
    const dueAt = async () =>
      Object.fromEntries((await rotationItems(team.team.id, now)).items.map((item) => [item.name, item.dueAt]));
    const policyDue = (created: Date, days: number) => new Date(created.getTime() + days * DAY);
    const createdOf = async (id: string) => (await db().apiKey.findUniqueOrThrow({ where: { id } })).createdAt;
    const upCreated = (await db().upstreamKey.findUniqueOrThrow({ where: { id: up.id } })).createdAt;
    expect(await dueAt()).toEqual({
      weekly: policyDue(await createdOf(weekly.id), 7),
      plain: policyDue(await createdOf(plain.id), 90),
      prod: policyDue(upCreated, 180),
    });
    // 7 days is inside the 14-day first reminder: due soon from the start.
    expect(await statusAt(0)).toEqual({ weekly: "due_soon", plain: "ok", prod: "ok" });
    expect(await statusAt(80)).toEqual({ weekly: "overdue", plain: "due_soon", prod: "ok" });
    expect(dueItems((await rotationItems(team.team.id, at(170))).items).map((i) => i.name)).toEqual([
      "weekly",
      "plain",
      "prod",
    ]);
    // The policy changes the due dates.
    await updateRotationPolicy(scope, { memberKeyMaxAgeDays: 30, upstreamKeyMaxAgeDays: 60 });
    expect(await statusAt(20)).toEqual({ weekly: "overdue", plain: "due_soon", prod: "ok" });
    expect(await statusAt(61)).toEqual({ weekly: "overdue", plain: "overdue", prod: "overdue" });
    // Another team's keys are not in this team's list.
    expect((await rotationItems(owner.team.id, at(0))).items.map((i) => i.id)).not.toContain(plain.id);
  });
});
