// Immediate revocation across processes: every change that must reach the proxy's in-memory key cache
// (revoke, edit, member removal, team deletion) sends a NOTIFY in the same transaction as the change, so it
// is delivered exactly when the change commits, to every server listening — this process or another.
import type { Tx } from "@/lib/db/client";
import { afterCommit } from "@/lib/db/transaction";
import { KEY_CHANNEL, publishCommittedKeyChange, type KeyChange } from "./key-changes";

/**
 * Queues the notification inside the caller's transaction: PostgreSQL sends it to every listening server on
 * COMMIT (never on ROLLBACK). After the commit, transaction() also awaits this process's caches and the
 * edge's, so the caller's answer goes out only once the very next proxied request would be refused.
 */
export async function notifyKeyChange(tx: Tx, change: KeyChange): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${KEY_CHANNEL}, ${JSON.stringify(change)})`;
  afterCommit(tx, () => publishCommittedKeyChange(change));
}
