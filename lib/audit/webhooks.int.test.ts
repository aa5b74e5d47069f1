// Audit webhooks against real PostgreSQL, the real pg-boss queue and a real HTTP receiver: every event
// exactly once across a restart of the worker mid-way, Standard Webhooks signatures that verify with the
// team's secret and fail with another's, no event of team B at team A's endpoint, retries with backoff
// after a failing answer, nothing sent for a rolled-back change, and the team scope on every call.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

process.env.AUTH_SECRET ||= randomBytes(32).toString("base64");
process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");

const { auditDeliveryQueue, createAuditWebhook, deleteAuditWebhook, deliveriesOfEvent, listAuditWebhooks } =
  await import("@/lib/audit/webhooks");
const { recordAudit } = await import("@/lib/audit/record");
const { db } = await import("@/lib/db/client");
const { transaction } = await import("@/lib/db/transaction");
const { startJobRunner } = await import("@/lib/jobs/queue");
const { appErrorOf, contextIn, seedMember, seedUser } = await import("@/lib/testing/seed");

type Received = { headers: Record<string, string>; body: string; eventId: string };

/** A receiver on 127.0.0.1; `fail(id, attempt)` decides whether to answer 500 to an attempt. */
async function receiver(fail: (webhookId: string, attempt: number) => boolean = () => false) {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(",") : (value ?? ""),
        ]),
      );
      const id = headers["webhook-id"] ?? "";
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      if (fail(id, attempt)) {
        res.writeHead(500).end("not now");
        return;
      }
      const parsed = JSON.parse(body) as { data: { id: string } };
      received.push({ headers, body, eventId: parsed.data.id });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/audit`,
    received,
    attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function record(teamId: string, label: string) {
  await transaction((tx) =>
    recordAudit(tx, {
      teamId,
      actor: { type: "system", label: "webhook test" },
      action: "api_key.create",
      targets: [{ type: "api_key", id: crypto.randomUUID(), label }],
      context: { ip: "198.51.100.1", userAgent: "test" },
    }),
  );
}

const teamEventIds = async (teamId: string, since: Date) =>
  (await db().auditEvent.findMany({ where: { teamId, createdAt: { gte: since } }, select: { id: true } })).map(
    (event) => event.id,
  );

const receivers: Awaited<ReturnType<typeof receiver>>[] = [];
const runners: Awaited<ReturnType<typeof startJobRunner>>[] = [];
const start = async () => {
  const runner = await startJobRunner([auditDeliveryQueue({ retryDelaySeconds: 1 })], {
    pollingIntervalSeconds: 0.5,
  });
  runners.push(runner);
  return runner;
};
afterAll(async () => {
  for (const runner of runners) await runner.stop({ graceful: false }).catch(() => undefined);
  for (const server of receivers) await server.close();
});

describe("audit webhooks", () => {
  let a: Awaited<ReturnType<typeof seedUser>>;
  let b: Awaited<ReturnType<typeof seedUser>>;
  beforeAll(async () => {
    a = await seedUser("hook-a");
    b = await seedUser("hook-b");
  });

  it(
    "delivers every event exactly once across a worker restart, signed with the team's own secret",
    { timeout: 90_000 },
    async () => {
      const atA = await receiver();
      const atB = await receiver();
      receivers.push(atA, atB);
      const ctxA = await contextIn(a, a.team, "audit.webhooks");
      const ctxB = await contextIn(b, b.team, "audit.webhooks");
      const hookA = await createAuditWebhook(ctxA, { url: atA.url });
      const hookB = await createAuditWebhook(ctxB, { url: atB.url });
      // Deliveries start with the webhook: its own creation event is the first.
      const since = hookA.webhook.createdAt;
      const sinceB = hookB.webhook.createdAt;
      expect(hookA.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      // The secret is stored encrypted, never in clear.
      const stored = await db().auditWebhook.findUniqueOrThrow({ where: { id: hookA.webhook.id } });
      expect(stored.encryptedSecret).not.toContain(hookA.secret.slice(6));

      const first = await start();
      for (let index = 0; index < 10; index++) await record(a.team.id, `a-${index}`);
      for (let index = 0; index < 3; index++) await record(b.team.id, `b-${index}`);
      // Mid-way: some of A's deliveries are done, then the worker stops (as a server restart does).
      await expect.poll(() => atA.received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
      await first.stop();
      for (let index = 10; index < 20; index++) await record(a.team.id, `a-${index}`);
      await start();

      const expectedA = await teamEventIds(a.team.id, since);
      expect(expectedA.length).toBe(21); // the webhook's own creation + 20
      await expect
        .poll(() => new Set(atA.received.map((r) => r.eventId)).size, { timeout: 30_000 })
        .toBe(expectedA.length);
      await expect.poll(() => atB.received.length, { timeout: 20_000 }).toBe(4);
      // Exactly once: no event arrived twice (by event id, and by webhook-id).
      expect(atA.received.map((r) => r.eventId).sort()).toEqual([...expectedA].sort());
      expect(new Set(atA.received.map((r) => r.headers["webhook-id"])).size).toBe(atA.received.length);
      // Team isolation: A's endpoint saw only A's events, B's only B's.
      const expectedB = await teamEventIds(b.team.id, sinceB);
      expect(atB.received.map((r) => r.eventId).sort()).toEqual([...expectedB].sort());

      for (const delivery of atA.received) {
        expect(() => new Webhook(hookA.secret).verify(delivery.body, delivery.headers)).not.toThrow();
        expect(() => new Webhook(hookB.secret).verify(delivery.body, delivery.headers)).toThrow();
      }
      const payload = JSON.parse(atA.received[0]!.body) as { type: string; data: Record<string, unknown> };
      expect(payload.type).toBe("audit.event");
      expect(payload.data).toMatchObject({ source: "audit", outcome: "success" });

      const [summary] = await listAuditWebhooks(ctxA);
      expect(summary).toMatchObject({ url: atA.url, delivered: 21, pending: 0, failed: 0 });
      const oneEvent = expectedA[0]!;
      expect(await deliveriesOfEvent(ctxA, oneEvent)).toEqual([
        expect.objectContaining({ status: "delivered", attempts: 1, webhook: { url: atA.url } }),
      ]);
      // Another team's event has no deliveries in this team's view.
      expect(await deliveriesOfEvent(ctxB, oneEvent)).toEqual([]);
    },
  );

  it("retries a failing endpoint with backoff until it answers", { timeout: 60_000 }, async () => {
    const c = await seedUser("hook-c");
    const flaky = await receiver((_, attempt) => attempt <= 2);
    receivers.push(flaky);
    const ctx = await contextIn(c, c.team, "audit.webhooks");
    const { webhook } = await createAuditWebhook(ctx, { url: flaky.url });
    if (runners.length === 0) await start();
    await record(c.team.id, "c-flaky");
    const [event] = await db().auditEvent.findMany({
      where: { teamId: c.team.id, action: "api_key.create" },
      select: { id: true },
    });
    await expect
      .poll(async () => (await deliveriesOfEvent(ctx, event!.id))[0]?.status, { timeout: 30_000 })
      .toBe("delivered");
    const [delivery] = await deliveriesOfEvent(ctx, event!.id);
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 204, lastError: null });
    expect(flaky.attempts.get(delivery!.id)).toBe(3);
    expect(flaky.received.filter((r) => r.eventId === event!.id)).toHaveLength(1);
    // The job's retry policy is exponential backoff.
    const [job] = await db().$queryRaw<{ retry_backoff: boolean; retry_count: number }[]>`
      SELECT retry_backoff, retry_count FROM pgboss.job WHERE id = ${delivery!.id}::uuid
      UNION ALL SELECT retry_backoff, retry_count FROM pgboss.archive WHERE id = ${delivery!.id}::uuid`;
    expect(job).toMatchObject({ retry_backoff: true, retry_count: 2 });
    await deleteAuditWebhook(ctx, webhook.id);
  });

  it("never holds up the action: an event is recorded while a delivery hangs on an endpoint that never answers", async () => {
    const e = await seedUser("hook-e");
    const hanging: http.ServerResponse[] = [];
    const server = http.createServer((_req, res) => void hanging.push(res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stuck`;
    try {
      const ctx = await contextIn(e, e.team, "audit.webhooks");
      await createAuditWebhook(ctx, { url });
      if (runners.length === 0) await start();
      await expect.poll(() => hanging.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      // A delivery is stuck in flight; the next change still commits, with its delivery queued behind.
      await record(e.team.id, "e-while-stuck");
      const [event] = await db().auditEvent.findMany({ where: { teamId: e.team.id, action: "api_key.create" } });
      expect(event).toBeDefined();
      expect(hanging.every((res) => !res.writableEnded)).toBe(true);
      const [delivery] = await deliveriesOfEvent(ctx, event!.id);
      expect(delivery?.status).toBe("pending");
    } finally {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("sends nothing for a rolled-back change", async () => {
    const d = await seedUser("hook-d");
    const ctx = await contextIn(d, d.team, "audit.webhooks");
    const { webhook } = await createAuditWebhook(ctx, { url: "http://127.0.0.1:9/never" });
    const before = await db().auditDelivery.count({ where: { webhookId: webhook.id } });
    await expect(
      transaction(async (tx) => {
        await recordAudit(tx, {
          teamId: d.team.id,
          actor: { type: "system", label: "test" },
          action: "api_key.revoke",
          context: { ip: null, userAgent: null },
        });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db().auditDelivery.count({ where: { webhookId: webhook.id } })).toBe(before);
    await deleteAuditWebhook(ctx, webhook.id);
  });

  it("is for owners and admins; another team's webhook is not found; the URL is checked", async () => {
    const owner = await seedUser("hook-owner");
    const member = await seedMember(owner.team, "member", "hook-member");
    const auditor = await seedMember(owner.team, "auditor", "hook-auditor");
    const admin = await seedMember(owner.team, "admin", "hook-admin");
    expect((await appErrorOf(contextIn(member, owner.team, "audit.webhooks"))).code).toBe("forbidden");
    expect((await appErrorOf(contextIn(auditor, owner.team, "audit.webhooks"))).code).toBe("forbidden");
    const ctx = await contextIn(admin, owner.team, "audit.webhooks");
    const { webhook } = await createAuditWebhook(ctx, { url: "https://siem.example.test/hooks" });

    const other = await seedUser("hook-other");
    const otherCtx = await contextIn(other, other.team, "audit.webhooks");
    expect((await appErrorOf(deleteAuditWebhook(otherCtx, webhook.id))).code).toBe("not_found");
    expect(await listAuditWebhooks(otherCtx)).toEqual([]);
    expect(await listAuditWebhooks(ctx)).toHaveLength(1);

    for (const url of ["ftp://siem.example.test", "not a url", "https://user:pw@siem.example.test/"])
      await expect(createAuditWebhook(ctx, { url })).rejects.toThrow(/Endpoint URL must be/);
    expect(await listAuditWebhooks(ctx)).toHaveLength(1);
    await deleteAuditWebhook(ctx, webhook.id);
    expect(await listAuditWebhooks(ctx)).toEqual([]);
    const events = await db().auditEvent.findMany({
      where: { teamId: owner.team.id, action: { in: ["audit.webhook_create", "audit.webhook_delete"] } },
    });
    expect(events.map((event) => event.action).sort()).toEqual(["audit.webhook_create", "audit.webhook_delete"]);
  });
});
