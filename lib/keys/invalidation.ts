// Immediate revocation across processes: every change that must reach the proxy's in-memory key cache
// (revoke, edit, member removal, team deletion) sends a NOTIFY in the same transaction as the change, so it
// is delivered exactly when the change commits, to every server listening — this process or another.
import pg from "pg";
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { afterCommit, processBus } from "@/lib/db/transaction";
import { logger } from "@/lib/logger";

export const KEY_CHANNEL = "keyward_key_changes";

export const keyChangeSchema = z.object({
  hashes: z.array(z.string()).optional(),
  teamId: z.string().optional(),
  /** The team's upstream (OpenAI) keys changed: the proxy reloads them. */
  upstreamTeamId: z.string().optional(),
});
export type KeyChange = z.infer<typeof keyChangeSchema>;

/**
 * Queues the notification inside the caller's transaction: PostgreSQL sends it to every listening server on
 * COMMIT (never on ROLLBACK), and this process hears it synchronously right after the commit, so the very
 * next request it serves already sees the change.
 */
export async function notifyKeyChange(tx: Tx, change: KeyChange): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${KEY_CHANNEL}, ${JSON.stringify(change)})`;
  afterCommit(tx, () => processBus().emit(KEY_CHANNEL, change));
}

/** This process's key changes, as they commit. Returns an unsubscribe function. */
export function onLocalKeyChange(listener: (change: KeyChange) => void): () => void {
  processBus().on(KEY_CHANNEL, listener);
  return () => processBus().off(KEY_CHANNEL, listener);
}

/** LISTENs for key changes on a dedicated connection and reconnects when it drops. Returns a stop function. */
export async function subscribeKeyChanges(connectionString: string, onChange: (change: KeyChange) => void): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    next.on("notification", (message) => {
      const parsed = keyChangeSchema.safeParse(JSON.parse(message.payload ?? "{}"));
      if (parsed.success) onChange(parsed.data);
    });
    next.on("error", (error) => {
      if (stopped) return;
      logger.warn({ err: error }, "key change listener lost its connection; reconnecting");
      // Changes may have been missed while disconnected: tell the cache to drop everything.
      onChange({});
      setTimeout(() => void connect().catch(() => undefined), 500);
    });
    await next.connect();
    await next.query(`LISTEN ${KEY_CHANNEL}`);
    client = next;
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => undefined);
  };
}
