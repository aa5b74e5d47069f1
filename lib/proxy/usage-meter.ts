// Metering without a database write per request: usage is summed in memory per (key, model, UTC day) and
// written in one statement every few seconds, and on shutdown, so nothing is lost on SIGTERM.
import type pg from "pg";
import { logger } from "@/lib/logger";
import type { Metered } from "./relay";

type Bucket = {
  keyId: string;
  lineageId: string;
  teamId: string;
  day: string;
  model: string;
  requests: number;
  prompt: number;
  completion: number;
  /** Summed unrounded: an embedding of a few tokens costs a fraction of a micro-dollar. */
  costUsd: number;
  estimated: number;
};

const FLUSH_INTERVAL_MS = 5_000;

/** Rounded up, once per flushed bucket: metering may overcount by a micro-dollar, never undercount. */
const micros = (usd: number) => Math.ceil(usd * 1_000_000 - 1e-9);

export class UsageMeter {
  private pending = new Map<string, Bucket>();
  /** Upstream keys that answered since the last flush: their "last used" is written with the usage. */
  private upstreamsUsed = new Set<string>();
  /** Requests per key and UTC hour since the last flush ("keyId|hour ms" → count), for KeyUsageHour. */
  private hours = new Map<string, { keyId: string; teamId: string; hour: number; requests: number }>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly pool: pg.Pool) {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  private day = "";
  private dayEndsAt = 0;

  /** The UTC day, recomputed once a day rather than formatted on every request. */
  private today(now: number): string {
    if (now >= this.dayEndsAt) {
      this.day = new Date(now).toISOString().slice(0, 10);
      this.dayEndsAt = Date.parse(`${this.day}T00:00:00.000Z`) + 86_400_000;
    }
    return this.day;
  }

  record(event: Metered): void {
    if (event.upstreamId) this.upstreamsUsed.add(event.upstreamId);
    const now = Date.now();
    const day = this.today(now);
    const hour = now - (now % 3_600_000);
    const hourId = `${event.keyId}|${hour}`;
    const counted = this.hours.get(hourId);
    if (counted) counted.requests++;
    else this.hours.set(hourId, { keyId: event.keyId, teamId: event.teamId, hour, requests: 1 });
    const id = `${event.keyId}|${day}|${event.model}`;
    let bucket = this.pending.get(id);
    if (!bucket) {
      bucket = {
        keyId: event.keyId,
        lineageId: event.lineageId,
        teamId: event.teamId,
        day,
        model: event.model,
        requests: 0,
        prompt: 0,
        completion: 0,
        costUsd: 0,
        estimated: 0,
      };
      this.pending.set(id, bucket);
    }
    bucket.requests++;
    bucket.prompt += event.promptTokens;
    bucket.completion += event.completionTokens;
    bucket.costUsd += event.costUsd;
    if (event.estimated) bucket.estimated++;
  }

  /** Writes what accumulated; a failed write keeps the usage for the next try. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      const values: unknown[] = [];
      const rows = batch.map((b, i) => {
        values.push(
          b.keyId,
          b.teamId,
          b.day,
          b.model,
          b.requests,
          b.prompt,
          b.completion,
          micros(b.costUsd),
          b.estimated,
        );
        const n = i * 9;
        return `($${n + 1}::uuid, $${n + 2}::uuid, $${n + 3}::date, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}, $${n + 8}, $${n + 9})`;
      });
      try {
        await this.pool.query(
          `INSERT INTO "KeyUsage" ("keyId", "teamId", day, model, requests, "promptTokens", "completionTokens", "costMicros", "estimatedRequests") VALUES ${rows.join(",")}
           ON CONFLICT ("keyId", day, model) DO UPDATE SET requests = "KeyUsage".requests + EXCLUDED.requests,
             "promptTokens" = "KeyUsage"."promptTokens" + EXCLUDED."promptTokens",
             "completionTokens" = "KeyUsage"."completionTokens" + EXCLUDED."completionTokens",
             "costMicros" = "KeyUsage"."costMicros" + EXCLUDED."costMicros",
             "estimatedRequests" = "KeyUsage"."estimatedRequests" + EXCLUDED."estimatedRequests"`,
          values,
        );
        // Key usage doubles as "last used": one statement per flush, not per request.
        // key-state: unaffected — only the last-used time, which no check reads
        await this.pool.query(`UPDATE "ApiKey" SET "lastUsedAt" = now() WHERE id = ANY($1::uuid[])`, [
          [...new Set(batch.map((b) => b.keyId))],
        ]);
      } catch (error) {
        logger.warn({ err: error, buckets: batch.length }, "usage flush failed; will retry");
        for (const b of batch) this.mergeBack(b);
      }
      await this.flushUpstreamsUsed();
      await this.flushHours();
    });
    return this.flushing;
  }

  /** The team's OpenAI keys that answered since the last flush: their "last used", in one statement. */
  private async flushUpstreamsUsed(): Promise<void> {
    if (this.upstreamsUsed.size === 0) return;
    const ids = [...this.upstreamsUsed];
    this.upstreamsUsed = new Set();
    try {
      // key-state: unaffected — only the last-used time, which no check reads
      await this.pool.query(`UPDATE "UpstreamKey" SET "lastUsedAt" = now() WHERE id = ANY($1::uuid[])`, [ids]);
    } catch (error) {
      logger.warn({ err: error, keys: ids.length }, "upstream last-used write failed; will retry");
      for (const id of ids) this.upstreamsUsed.add(id);
    }
  }

  /** Requests per key and hour ("still used by … in the last hour" for a rolled key), in one statement. */
  private async flushHours(): Promise<void> {
    if (this.hours.size === 0) return;
    const batch = [...this.hours.values()];
    this.hours = new Map();
    try {
      await this.pool.query(
        `INSERT INTO "KeyUsageHour" ("keyId", "teamId", hour, requests)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamp[], $4::int[])
         ON CONFLICT ("keyId", hour) DO UPDATE SET requests = "KeyUsageHour".requests + EXCLUDED.requests`,
        [
          batch.map((h) => h.keyId),
          batch.map((h) => h.teamId),
          batch.map((h) => new Date(h.hour).toISOString().replace("T", " ").replace("Z", "")),
          batch.map((h) => h.requests),
        ],
      );
    } catch (error) {
      logger.warn({ err: error, buckets: batch.length }, "hourly usage flush failed; will retry");
      for (const h of batch) {
        const id = `${h.keyId}|${h.hour}`;
        const current = this.hours.get(id);
        if (current) current.requests += h.requests;
        else this.hours.set(id, h);
      }
    }
  }

  private mergeBack(b: Bucket): void {
    const id = `${b.keyId}|${b.day}|${b.model}`;
    const current = this.pending.get(id);
    if (!current) this.pending.set(id, b);
    else
      Object.assign(current, {
        requests: current.requests + b.requests,
        prompt: current.prompt + b.prompt,
        completion: current.completion + b.completion,
        costUsd: current.costUsd + b.costUsd,
        estimated: current.estimated + b.estimated,
      });
  }

  /**
   * Stored spend of a key's roll chain since `since` (every key rolled from the first, so rolling never resets
   * a budget) plus what this process has not written yet.
   */
  async spentSince(lineageId: string, since: number): Promise<number> {
    const day = new Date(since).toISOString().slice(0, 10);
    const result = await this.pool.query<{ micros: string | null }>(
      `SELECT sum(u."costMicros") AS micros FROM "KeyUsage" u
        WHERE u."keyId" IN (SELECT id FROM "ApiKey" WHERE id = $1 OR "lineageId" = $1) AND u.day >= $2::date`,
      [lineageId, day],
    );
    let spent = Number(result.rows[0]?.micros ?? 0) / 1_000_000;
    for (const b of this.pending.values()) if (b.lineageId === lineageId && b.day >= day) spent += b.costUsd;
    return spent;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
