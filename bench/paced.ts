// An open-loop load at an even pace, beside autocannon's overallRate in section (d). autocannon's rate is a
// per-second quota: each connection sends its share back to back at the start of every second, so "1,000
// req/s" arrives as one burst a second. Here request i is due at start + i/rate and its latency is counted
// from that moment, so queueing anywhere (the proxy, the upstream, our own socket pool) is not hidden.
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { CHAT_BODY_TEXT, type Endpoint } from "./http";
import { percentile } from "./stats";

export type PacedResult = {
  rate: number;
  sent: number;
  completed: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  non2xx: number;
  status_codes: Record<string, number>;
};

const REQUEST_TIMEOUT_MS = 10_000;
const TICK_MS = 1;

/** `agent`: reuse one across calls (interleaved slices) instead of opening `sockets` new connections; `record`: every latency is also pushed here. */
export async function pacedLoad(
  endpoint: Endpoint,
  opts: { rate: number; duration: number; sockets: number; agent?: http.Agent; record?: number[] },
): Promise<PacedResult> {
  const agent = opts.agent ?? new http.Agent({ keepAlive: true, maxSockets: opts.sockets });
  const headers = {
    ...endpoint.headers,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(CHAT_BODY_TEXT)),
  };
  const latencies: number[] = [];
  const codes: Record<string, number> = {};
  let sent = 0,
    errors = 0,
    non2xx = 0,
    inFlight = 0;
  const total = Math.round(opts.rate * opts.duration);
  const interval = 1000 / opts.rate;
  const start = performance.now();

  const send = (due: number) => {
    inFlight += 1;
    const done = (status: number | null) => {
      inFlight -= 1;
      if (status === null) errors += 1;
      else {
        codes[status] = (codes[status] ?? 0) + 1;
        if (status < 200 || status > 299) non2xx += 1;
        else {
          const ms = performance.now() - due;
          latencies.push(ms);
          opts.record?.push(ms);
        }
      }
    };
    const req = http.request(endpoint.url, { method: "POST", agent, headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on("end", () => done(res.statusCode ?? 0));
      res.on("error", () => done(null));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => done(null));
    req.end(CHAT_BODY_TEXT);
  };

  // Each tick sends every request that has fallen due, so timer jitter delays requests but never drops them.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const dueNow = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      for (; sent < dueNow; sent++) send(start + sent * interval);
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  const drainDeadline = Date.now() + REQUEST_TIMEOUT_MS + 1_000;
  while (inFlight > 0 && Date.now() < drainDeadline) await sleep(20);
  const seconds = (performance.now() - start) / 1000;
  if (!opts.agent) agent.destroy();
  return {
    rate: opts.rate,
    sent,
    completed: latencies.length,
    rps: latencies.length / seconds,
    p50_ms: percentile(latencies, 50),
    p99_ms: percentile(latencies, 99),
    errors,
    non2xx,
    status_codes: codes,
  };
}
