// Audit webhooks: a team streams its audit log to a SIEM. Each event is POSTed as JSON, signed per the
// Standard Webhooks scheme (webhook-id = the delivery's id, stable across retries so a receiver can
// deduplicate; webhook-timestamp; webhook-signature "v1,<HMAC-SHA256>"), by the job queue after the event's
// transaction commits, with retries and exponential backoff. The action that caused the event never waits
// for the endpoint: it only wrote the outbox row and the job (lib/audit/outbox.ts).
//
// Every query takes the caller's team scope; another team's webhook is not found.
import { randomBytes, randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { decryptSecret, encryptSecret, type SecretBinding } from "@/lib/crypto/cipher";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { installJobQueues, type QueueSpec } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import type { TeamContext, TeamScope } from "@/lib/teams/context";
import { exportRecord } from "./export";
import { AUDIT_DELIVERY_QUEUE } from "./outbox";
import { recordAudit } from "./record";

/** Attempts after the first, and the first retry's delay: then 2×, 4×, … (pg-boss's exponential backoff). */
export const DELIVERY_RETRIES = 8;
export const DELIVERY_RETRY_DELAY_SECONDS = 5;
const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_WEBHOOKS_PER_TEAM = 5;

export const webhookUrlSchema = z
  .string({ error: "Endpoint URL is required." })
  .trim()
  .min(1, "Endpoint URL is required.")
  .max(2000, "Endpoint URL must be at most 2,000 characters.")
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "Endpoint URL must be an http:// or https:// address without credentials, such as https://siem.example.com/hooks/keyward.");

export const webhookInputSchema = z.object({ url: webhookUrlSchema });

const binding = (teamId: string, id: string): SecretBinding => ({
  purpose: "audit_webhook_secret",
  teamId,
  rowId: id,
});

/** The queue spec the job runner works; its handler is deliverAuditEvent. */
export function auditDeliveryQueue(options: { retryDelaySeconds?: number } = {}): QueueSpec {
  return {
    name: AUDIT_DELIVERY_QUEUE,
    retryLimit: DELIVERY_RETRIES,
    retryDelaySeconds: options.retryDelaySeconds ?? DELIVERY_RETRY_DELAY_SECONDS,
    expireInSeconds: 60,
    handler: async (data, job) => {
      const parsed = z.object({ deliveryId: z.uuid() }).safeParse(data);
      if (!parsed.success) return; // not ours to retry
      await deliverAuditEvent(parsed.data.deliveryId, { final: job.retryCount >= DELIVERY_RETRIES });
    },
  };
}

/** Adds a webhook; its signing secret is returned this once (stored encrypted, never shown again). */
export async function createAuditWebhook(ctx: TeamContext, input: { url: string }) {
  const { url } = webhookInputSchema.parse(input);
  // The queue must exist before the first event is enqueued in a transaction.
  await installJobQueues([auditDeliveryQueue()]);
  const id = randomUUID();
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const webhook = await transaction(async (tx) => {
    const count = await tx.auditWebhook.count({ where: { teamId: ctx.team.id } });
    if (count >= MAX_WEBHOOKS_PER_TEAM)
      throw new AppError("conflict", `A team can have at most ${MAX_WEBHOOKS_PER_TEAM} audit webhooks.`);
    const row = await tx.auditWebhook.create({
      data: {
        id,
        teamId: ctx.team.id,
        url,
        encryptedSecret: encryptSecret(secret, binding(ctx.team.id, id)),
        createdById: ctx.user?.id ?? null,
      },
      select: { id: true, url: true, createdAt: true },
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "audit.webhook_create",
      targets: [{ type: "team", id: ctx.team.id, label: url }],
      metadata: { webhookId: id, url },
      context: ctx.request,
    });
    return row;
  });
  return { webhook, secret };
}

export async function deleteAuditWebhook(ctx: TeamContext, id: string): Promise<void> {
  const parsed = z.uuid().safeParse(id);
  if (!parsed.success) throw new AppError("not_found");
  await transaction(async (tx) => {
    const row = await tx.auditWebhook.findFirst({ where: { id: parsed.data, teamId: ctx.team.id } });
    if (!row) throw new AppError("not_found");
    await tx.auditWebhook.delete({ where: { id: row.id } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "audit.webhook_delete",
      targets: [{ type: "team", id: ctx.team.id, label: row.url }],
      metadata: { webhookId: row.id, url: row.url },
      context: ctx.request,
    });
  });
}

export type WebhookSummary = {
  id: string;
  url: string;
  createdAt: Date;
  delivered: number;
  pending: number;
  failed: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
};

/** The team's webhooks with their delivery counts and latest error, for the page and the API. */
export async function listAuditWebhooks(ctx: Pick<TeamScope, "team">): Promise<WebhookSummary[]> {
  const webhooks = await db().auditWebhook.findMany({
    where: { teamId: ctx.team.id },
    orderBy: { createdAt: "asc" },
    select: { id: true, url: true, createdAt: true },
  });
  if (webhooks.length === 0) return [];
  const ids = webhooks.map((webhook) => webhook.id);
  const counts = await db().auditDelivery.groupBy({
    by: ["webhookId", "status"],
    where: { webhookId: { in: ids } },
    _count: { _all: true },
  });
  const latest = await Promise.all(
    ids.map((webhookId) =>
      db().auditDelivery.findFirst({
        where: { webhookId, lastAttemptAt: { not: null } },
        orderBy: { lastAttemptAt: "desc" },
        select: { lastError: true, lastAttemptAt: true, status: true },
      }),
    ),
  );
  return webhooks.map((webhook, index) => {
    const count = (status: string) =>
      counts.find((row) => row.webhookId === webhook.id && row.status === status)?._count._all ?? 0;
    const last = latest[index];
    return {
      ...webhook,
      delivered: count("delivered"),
      pending: count("pending"),
      failed: count("failed"),
      lastError: last && last.status !== "delivered" ? last.lastError : null,
      lastAttemptAt: last?.lastAttemptAt ?? null,
    };
  });
}

/** Where one event of this team went: one row per webhook. Another team's event has none. */
export async function deliveriesOfEvent(ctx: Pick<TeamScope, "team">, eventId: string) {
  return db().auditDelivery.findMany({
    where: { eventId, webhook: { teamId: ctx.team.id } },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      status: true,
      attempts: true,
      lastStatusCode: true,
      lastError: true,
      lastAttemptAt: true,
      deliveredAt: true,
      webhook: { select: { url: true } },
    },
  });
}

/** The JSON body POSTed for one event: the export's record of it, in a Standard Webhooks envelope. */
export function deliveryPayload(event: Parameters<typeof exportRecord>[0]): string {
  return JSON.stringify({ type: "audit.event", timestamp: event.createdAt.toISOString(), data: exportRecord(event) });
}

/**
 * Delivers one outbox row. Already delivered (a job run twice): nothing is sent. A refused or failed POST
 * throws, so the queue retries it later; the last attempt marks the delivery failed.
 */
export async function deliverAuditEvent(deliveryId: string, options: { final?: boolean; now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  const delivery = await db().auditDelivery.findUnique({
    where: { id: deliveryId },
    select: {
      id: true,
      status: true,
      eventId: true,
      webhook: { select: { id: true, teamId: true, url: true, encryptedSecret: true } },
    },
  });
  if (!delivery || delivery.status === "delivered") return;
  const event = await db().auditEvent.findFirst({
    where: { id: delivery.eventId, teamId: delivery.webhook.teamId },
  });
  if (!event) return;
  const body = deliveryPayload({ source: "audit", ...event });
  const secret = decryptSecret(delivery.webhook.encryptedSecret, binding(delivery.webhook.teamId, delivery.webhook.id));
  const timestamp = now();
  const signature = new Webhook(secret).sign(delivery.id, timestamp, body);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(delivery.webhook.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      headers: {
        "content-type": "application/json",
        "user-agent": "Keyward-Audit-Webhook/1",
        "webhook-id": delivery.id,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body,
    });
    statusCode = response.status;
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) error = `The endpoint answered HTTP ${response.status}.`;
  } catch (cause) {
    error =
      cause instanceof Error && cause.name === "TimeoutError"
        ? `The endpoint did not answer within ${DELIVERY_TIMEOUT_MS / 1000} s.`
        : `Could not reach the endpoint: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
  const attemptAt = now();
  if (error === null) {
    await db().auditDelivery.updateMany({
      where: { id: delivery.id, status: { not: "delivered" } },
      data: {
        status: "delivered",
        attempts: { increment: 1 },
        lastStatusCode: statusCode,
        lastError: null,
        lastAttemptAt: attemptAt,
        deliveredAt: attemptAt,
      },
    });
    return;
  }
  await db().auditDelivery.update({
    where: { id: delivery.id },
    data: {
      status: options.final ? "failed" : "pending",
      attempts: { increment: 1 },
      lastStatusCode: statusCode,
      lastError: error.slice(0, 500),
      lastAttemptAt: attemptAt,
    },
  });
  logger.warn({ deliveryId: delivery.id, statusCode, final: options.final ?? false }, "audit webhook delivery failed");
  throw new Error(error);
}
