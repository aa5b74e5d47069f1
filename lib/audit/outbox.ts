// The audit webhooks' outbox: in the transaction that records an event, one AuditDelivery row per webhook of
// the team and its pg-boss job (same id). Both commit with the event or neither exists; a team without
// webhooks pays one indexed SELECT. The delivery itself is lib/audit/webhooks.ts, after commit, elsewhere.
import type { Tx } from "@/lib/db/client";
import { sendInTransaction } from "@/lib/jobs/queue";

export const AUDIT_DELIVERY_QUEUE = "audit-webhook-delivery";

export async function enqueueAuditDeliveries(tx: Tx, teamId: string, eventId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "AuditDelivery" (id, "webhookId", "eventId")
    SELECT gen_random_uuid(), w.id, ${eventId}::uuid FROM "AuditWebhook" w WHERE w."teamId" = ${teamId}::uuid
    RETURNING id`;
  for (const row of rows) await sendInTransaction(tx, AUDIT_DELIVERY_QUEUE, row.id, { deliveryId: row.id });
  return rows.length;
}
