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

// 1 s at most: after a database restart, a revocation by another server must be in force within 2 s.
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 1_000;

/** The wait before reconnect attempt `attempt` (0-based): doubling from 250 ms up to 1 s, with ±20 % jitter. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export type KeyListenerEvents = {
  /** Every change heard. `{}` (drop everything) after each reconnect: notifications may have been missed. */
  onChange: (change: KeyChange) => void;
  /** The LISTEN connection's state: true once LISTEN is in force, false when the connection is lost. */
  onState?: (connected: boolean) => void;
};

/**
 * LISTENs for key changes on a dedicated connection. When the connection drops it reconnects with backoff for
 * as long as it takes, and after every reconnect tells the cache to drop everything (changes committed while
 * it was away were never heard). Resolves once the first LISTEN is in force (or rejects: a start-up error);
 * returns a stop function.
 */
export async function subscribeKeyChanges(
  connectionString: string,
  events: KeyListenerEvents | ((change: KeyChange) => void),
): Promise<() => Promise<void>> {
  const { onChange, onState } = typeof events === "function" ? { onChange: events, onState: undefined } : events;
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let attempt = 0;

  const lost = (next: pg.Client, error: unknown) => {
    if (client !== next) return; // already handled (error and end both fire)
    client = null;
    next.end().catch(() => undefined);
    if (stopped) return;
    onState?.(false);
    logger.warn({ err: error }, "key change listener lost its connection; reconnecting");
    schedule();
  };
  const schedule = () => {
    const delay = reconnectDelayMs(attempt++);
    timer = setTimeout(() => {
      connect().then(
        () => {
          attempt = 0;
          // Missed notifications: revalidate every cached key (LISTEN is already in force, so nothing after
          // this moment is missed either).
          onChange({});
        },
        (error: unknown) => {
          if (stopped) return;
          logger.debug({ err: error }, "key change listener could not reconnect yet");
          schedule();
        },
      );
    }, delay);
    timer.unref();
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString, keepAlive: true });
    next.on("notification", (message) => {
      let payload: unknown;
      try {
        payload = JSON.parse(message.payload ?? "{}");
      } catch {
        payload = undefined;
      }
      const parsed = keyChangeSchema.safeParse(payload);
      // A change we cannot read is still a change: drop everything rather than keep what it may have revoked.
      onChange(parsed.success ? parsed.data : {});
    });
    next.on("error", (error) => lost(next, error));
    next.on("end", () => lost(next, new Error("the connection ended")));
    try {
      await next.connect();
      await next.query(`LISTEN ${KEY_CHANNEL}`);
    } catch (error) {
      next.removeAllListeners("end");
      next.removeAllListeners("error");
      next.on("error", () => undefined);
      await next.end().catch(() => undefined);
      throw error;
    }
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    onState?.(true);
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const current = client;
    client = null;
    await current?.end().catch(() => undefined);
  };
}
