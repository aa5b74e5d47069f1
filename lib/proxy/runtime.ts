// Builds the proxy's in-memory state once per process: key cache, upstream pool, limits, budgets, the
// LISTEN subscription that invalidates them, and the metering buffer flushed in batches.
import pg from "pg";
import { decryptSecret } from "@/lib/crypto/cipher";
import { onLocalKeyChange, subscribeKeyChanges, type KeyChange } from "@/lib/keys/key-changes";
import { logger } from "@/lib/logger";
import { BudgetLedger } from "./budget";
import type { ProxyDeps } from "./core";
import { createUpstreamClient } from "./forward";
import { KeyCache, type KeyRow } from "./key-cache";
import { SlidingWindowCounter } from "./rate-limit";
import type { Metered } from "./relay";
import { metrics } from "./metrics";
import { OpenStreams } from "./open-streams";
import { UpstreamPool, type UpstreamRow } from "./upstreams";
import { UsageMeter } from "./usage-meter";

export type ProxyRuntime = { deps: ProxyDeps; meter: UsageMeter; close(): Promise<void> };

/** `listen`: hear other servers' key changes (PostgreSQL LISTEN); this process's own arrive in-process. */
export async function createProxyRuntime(options: {
  databaseUrl: string;
  upstreamBaseUrl: string;
  timeoutMs: number;
  stalledClientMs: number;
  listen: boolean;
  /** Keys the cache holds at most (KEY_CACHE_MAX_KEYS). */
  maxCachedKeys?: number;
}): Promise<ProxyRuntime> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4, idleTimeoutMillis: 30_000 });
  pool.on("error", (error) => logger.warn({ err: error }, "proxy pool connection lost"));

  const keys = new KeyCache(
    async (hash) => {
      const result = await pool.query<KeyRow>(
        // The holder's membership and the team's policy come with the key: both are ceilings on what it may do.
        // A key whose holder is no longer a member of its team is no key at all. lineageId: a rolled key's
        // chain, which its budget and rate limits belong to (lib/rotation/roll.ts).
        // So does the team's "2FA required" policy: a holder without 2FA keeps the key only until the grace
        // period ends, unless the owner chose to keep such keys working (lib/teams/two-factor-policy.ts).
        `SELECT k.id, k."lineageId", k."teamId", k."userId", k.hash, k.scopes, k."expiresAt", k."createdAt", t."keyPolicy", m.role,
                CASE WHEN t."twoFactorRequiredAt" IS NOT NULL AND NOT t."twoFactorKeysKeepWorking"
                          AND u."totpEnabledAt" IS NULL
                     THEN t."twoFactorRequiredAt" + make_interval(days => t."twoFactorGraceDays") END
                  AS "twoFactorDeadline"
         FROM "ApiKey" k
         JOIN "Team" t ON t.id = k."teamId"
         JOIN "Membership" m ON m."teamId" = k."teamId" AND m."userId" = k."userId"
         JOIN "User" u ON u.id = k."userId"
        WHERE k.hash = $1 AND k.kind = 'live' AND k."revokedAt" IS NULL`,
        [hash],
      );
      return result.rows[0] ?? null;
    },
    Date.now,
    options.maxCachedKeys,
  );
  const upstreams = new UpstreamPool(async (teamId) => {
    const result = await pool.query<{
      id: string;
      encryptedKey: string;
      organizationId: string | null;
      projectId: string | null;
      weight: number;
    }>(
      `SELECT id, "encryptedKey", "organizationId", "projectId", weight FROM "UpstreamKey" WHERE "teamId" = $1 AND enabled ORDER BY "createdAt"`,
      [teamId],
    );
    return result.rows.map((row): UpstreamRow => ({
      id: row.id,
      teamId,
      key: decryptSecret(row.encryptedKey, { purpose: "upstream_key", teamId, rowId: row.id }),
      organizationId: row.organizationId,
      projectId: row.projectId,
      weight: row.weight,
    }));
  });
  const meter = new UsageMeter(pool);
  const budgets = new BudgetLedger((keyId, since) => meter.spentSince(keyId, since));

  const streams = new OpenStreams();
  const invalidate = (change: KeyChange) => {
    keys.invalidate(change);
    if (change.upstreamTeamId) upstreams.invalidate(change.upstreamTeamId);
    if (change.teamId) upstreams.invalidate(change.teamId);
    if (!change.hashes && !change.teamId && !change.upstreamTeamId) upstreams.invalidate();
    // Revoked keys' open streams end too (after the cache dropped them, so the re-read is fresh).
    if (streams.size > 0) void streams.recheck(change, (hash) => keys.get(hash));
  };
  let reconnecting = false;
  const stopListening = options.listen
    ? await subscribeKeyChanges(options.databaseUrl, {
        onChange: invalidate,
        onState: (connected) => {
          metrics().keyListenerConnected.set(connected ? 1 : 0);
          if (connected && reconnecting) metrics().keyListenerReconnects.inc();
          reconnecting = !connected;
        },
      })
    : async () => {};
  // Read when /metrics is scraped: nothing on the hot path.
  metrics().sources.keyCache = () => keys;
  metrics().sources.openStreams = () => streams.size;
  const stopLocal = onLocalKeyChange(invalidate);
  const client = createUpstreamClient(options.upstreamBaseUrl, options.timeoutMs);

  const deps: ProxyDeps = {
    keys,
    upstreams,
    client,
    budgets,
    requests: new SlidingWindowCounter(),
    tokens: new SlidingWindowCounter(),
    meter: (event: Metered) => meter.record(event),
    streams,
    timeoutMs: options.timeoutMs,
    stalledClientMs: options.stalledClientMs,
  };
  return {
    deps,
    meter,
    close: async () => {
      stopLocal();
      await stopListening();
      await meter.close();
      await client.close();
      await pool.end();
    },
  };
}
