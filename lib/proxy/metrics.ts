// Prometheus metrics for the proxy (prom-client). Labels are method, endpoint group, status and refusal
// reason — never a key, a key prefix or a team: nothing that identifies or authenticates anyone.
import client from "prom-client";

const holder = globalThis as unknown as { keywardMetrics?: ReturnType<typeof create> };

function create() {
  const registry = new client.Registry();
  // What the gauges below read when /metrics is scraped (set by the proxy's runtime): nothing on the hot path.
  const sources = { cachedKeys: () => 0, openStreams: () => 0 };
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
        this.set(sources.cachedKeys());
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
