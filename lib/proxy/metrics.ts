// Prometheus metrics for the proxy (prom-client). Labels are method, endpoint group, status and refusal
// reason — never a key, a key prefix or a team: nothing that identifies or authenticates anyone.
import client from "prom-client";
import type { KeyCacheStats } from "./key-cache";

type KeyCacheSource = { size: number; capacity: number; stats: KeyCacheStats };

const holder = globalThis as unknown as { keywardMetrics?: ReturnType<typeof create> };

function create() {
  const registry = new client.Registry();
  // What the gauges below read when /metrics is scraped (set by the proxy's runtime): nothing on the hot path.
  const noKeyCache: KeyCacheSource = {
    size: 0,
    capacity: 0,
    stats: { hits: 0, misses: 0, negativeHits: 0, evictions: 0 },
  };
  const sources = { keyCache: (): KeyCacheSource => noKeyCache, openStreams: () => 0 };
  // Counters read from the cache's own plain counters: each scrape adds what happened since the last one.
  const reported = { hits: 0, misses: 0, negativeHits: 0, evictions: 0 };
  const since = (name: keyof KeyCacheStats, now: number) => {
    const delta = Math.max(0, now - reported[name]);
    reported[name] = now;
    return delta;
  };
  client.collectDefaultMetrics({ register: registry, prefix: "keyward_" });
  return {
    registry,
    sources,
    requests: new client.Counter({
      name: "keyward_proxy_requests_total",
      help: "Proxy requests by endpoint group and status.",
      labelNames: ["group", "status"] as const,
      registers: [registry],
    }),
    latency: new client.Histogram({
      name: "keyward_proxy_request_duration_seconds",
      help: "Time until the response finished.",
      labelNames: ["group"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    upstreamErrors: new client.Counter({
      name: "keyward_proxy_upstream_errors_total",
      help: "Upstream failures by kind (status code, connect, timeout).",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    refusals: new client.Counter({
      name: "keyward_proxy_refusals_total",
      help: "Requests refused by Keyward, by reason (budget, rate_limit, scope, …).",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    keyListenerConnected: new client.Gauge({
      name: "keyward_key_listener_connected",
      help: "1 while the LISTEN connection that hears other servers' key changes is up, 0 while it reconnects.",
      registers: [registry],
    }),
    keyListenerReconnects: new client.Counter({
      name: "keyward_key_listener_reconnects_total",
      help: "Times the key change listener reconnected (each one dropped every cached key).",
      registers: [registry],
    }),
    cachedKeys: new client.Gauge({
      name: "keyward_key_cache_keys",
      help: "Member keys held in the proxy's key cache.",
      registers: [registry],
      collect() {
        this.set(sources.keyCache().size);
      },
    }),
    keyCacheCapacity: new client.Gauge({
      name: "keyward_key_cache_capacity",
      help: "Keys the cache holds at most (KEY_CACHE_MAX_KEYS); the least recently used go first.",
      registers: [registry],
      collect() {
        this.set(sources.keyCache().capacity);
      },
    }),
    keyCacheLookups: new client.Counter({
      name: "keyward_key_cache_lookups_total",
      help: "Key lookups by result: hit (from memory), negative (a known non-key, from memory), miss (loaded).",
      labelNames: ["result"] as const,
      registers: [registry],
      collect() {
        const { stats } = sources.keyCache();
        this.inc({ result: "hit" }, since("hits", stats.hits));
        this.inc({ result: "negative" }, since("negativeHits", stats.negativeHits));
        this.inc({ result: "miss" }, since("misses", stats.misses));
      },
    }),
    keyCacheHitRatio: new client.Gauge({
      name: "keyward_key_cache_hit_ratio",
      help: "Share of key lookups answered from memory (hits and negative hits) since the process started.",
      registers: [registry],
      collect() {
        const { hits, misses, negativeHits } = sources.keyCache().stats;
        const total = hits + misses + negativeHits;
        this.set(total === 0 ? 0 : (hits + negativeHits) / total);
      },
    }),
    keyCacheEvictions: new client.Counter({
      name: "keyward_key_cache_evictions_total",
      help: "Keys dropped from the full cache to make room (not counting changes and expiry).",
      registers: [registry],
      collect() {
        this.inc(since("evictions", sources.keyCache().stats.evictions));
      },
    }),
    openStreams: new client.Gauge({
      name: "keyward_proxy_open_streams",
      help: "Streamed answers being relayed now.",
      registers: [registry],
      collect() {
        this.set(sources.openStreams());
      },
    }),
    masterKeyAgeDays: new client.Gauge({
      name: "keyward_master_key_age_days",
      help: "Age in days of the current master key (ENCRYPTION_KEY); compare with ENCRYPTION_KEY_MAX_AGE_DAYS.",
      registers: [registry],
    }),
    masterKeyRotationDue: new client.Gauge({
      name: "keyward_master_key_rotation_due",
      help: "1 when the master key is older than ENCRYPTION_KEY_MAX_AGE_DAYS (see the README's rotation steps).",
      registers: [registry],
    }),
    stalledClients: new client.Counter({
      name: "keyward_proxy_stalled_clients_total",
      help: "Streams cut because the client read nothing for STALLED_CLIENT_TIMEOUT_MS.",
      registers: [registry],
    }),
  };
}

/** One registry per process, shared by the fast path and the route handlers. */
export function metrics() {
  holder.keywardMetrics ??= create();
  return holder.keywardMetrics;
}
