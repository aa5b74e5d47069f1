// The key-change channel: what the proxy's caches hear when a member key, a membership, a team or a team's
// upstream keys change. Three carriers, one message: this process's bus (synchronous, right after COMMIT),
// the edge process over IPC (awaited, so a revoke answered by the web process is already in force at the
// edge), and PostgreSQL NOTIFY for every other server. Free of Prisma, so the edge process stays light.
import pg from "pg";
import { z } from "zod";
import { processBus } from "@/lib/events/process-bus";
import { logger } from "@/lib/logger";

export const KEY_CHANNEL = "keyward_key_changes";

export const keyChangeSchema = z.object({
  hashes: z.array(z.string()).optional(),
  teamId: z.string().optional(),
  /** The team's upstream (OpenAI) keys changed: the proxy reloads them. */
  upstreamTeamId: z.string().optional(),
});
export type KeyChange = z.infer<typeof keyChangeSchema>;

type Relay = (change: KeyChange) => Promise<void>;
const holder = globalThis as unknown as { keywardKeyRelay?: Relay };

/** Where committed changes go besides this process (the web process relays them to the edge). */
export function setKeyChangeRelay(relay: Relay | undefined): void {
  holder.keywardKeyRelay = relay;
}

/** Tells this process's caches, then waits until the relay (if any) has told the edge's. */
export async function publishCommittedKeyChange(change: KeyChange): Promise<void> {
  processBus().emit(KEY_CHANNEL, change);
  await holder.keywardKeyRelay?.(change);
}

/** This process's key changes, as they commit. Returns an unsubscribe function. */
export function onLocalKeyChange(listener: (change: KeyChange) => void): () => void {
  processBus().on(KEY_CHANNEL, listener);
  return () => processBus().off(KEY_CHANNEL, listener);
}

/** LISTENs for key changes on a dedicated connection and reconnects when it drops. Returns a stop function. */
export async function subscribeKeyChanges(
  connectionString: string,
  onChange: (change: KeyChange) => void,
): Promise<() => Promise<void>> {
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
