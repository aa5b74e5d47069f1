// The sections beside the main table: per proxy, (a) time to the first SSE chunk, (b) RSS with many
// open streams, (c) RSS over many requests, (d) latency at a fixed rate; across proxies, interleaved, (e)
// throughput and (f) latency at a fixed rate. Every loop is bounded.
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { openStreams, timeToFirstChunk, type Endpoint } from "./http";
import { runLoad, type LoadResult } from "./load";
import { pacedLoad, type PacedResult } from "./paced";
import { serverRss, type Server } from "./servers";
import { percentile } from "./stats";

export type FirstChunkSection = {
  requests: number;
  mock_p50_ms: number;
  mock_p90_ms: number;
  mock_p99_ms: number;
  proxy_p50_ms: number;
  proxy_p90_ms: number;
  proxy_p99_ms: number;
  added_p50_ms: number;
  added_p90_ms: number;
  added_p99_ms: number;
  errors: Record<string, number>;
};

const FIRST_CHUNK_TIMEOUT_MS = 10_000;
// Section (a) follows the row's throughput load: the proxy's heap is still settling from it (old-generation
// collections of its garbage run in the next seconds). A rest and a few uncounted pairs first, so the section
// measures streaming on a proxy at rest, as its name says, and not the tail end of the load before it.
const FIRST_CHUNK_REST_MS = 2_000;
const FIRST_CHUNK_WARMUP_PAIRS = 200;

/** Sequential streaming requests, alternating mock-direct and through-proxy so drift hits both alike. */
export async function firstChunk(
  proxy: Endpoint,
  mock: Endpoint,
  count: number,
  maxSeconds: number,
): Promise<FirstChunkSection> {
  const agents = {
    proxy: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    mock: new http.Agent({ keepAlive: true, maxSockets: 1 }),
  };
  const times = { proxy: [] as number[], mock: [] as number[] };
  const errors: Record<string, number> = {};
  try {
    await sleep(FIRST_CHUNK_REST_MS);
    const deadline = Date.now() + maxSeconds * 1000;
    for (let i = 0; i < FIRST_CHUNK_WARMUP_PAIRS + count && Date.now() < deadline; i++) {
      for (const side of ["mock", "proxy"] as const) {
        const result = await timeToFirstChunk(side === "mock" ? mock : proxy, agents[side], FIRST_CHUNK_TIMEOUT_MS);
        if (i < FIRST_CHUNK_WARMUP_PAIRS) continue;
        if ("ms" in result) times[side].push(result.ms);
        else errors[`${side}: ${result.error}`] = (errors[`${side}: ${result.error}`] ?? 0) + 1;
      }
    }
  } finally {
    agents.proxy.destroy();
    agents.mock.destroy();
  }
  const at = (q: number) => ({ mock: percentile(times.mock, q), proxy: percentile(times.proxy, q) });
  const [p50, p90, p99] = [at(50), at(90), at(99)];
  return {
    requests: times.proxy.length,
    mock_p50_ms: p50.mock,
    mock_p90_ms: p90.mock,
    mock_p99_ms: p99.mock,
    proxy_p50_ms: p50.proxy,
    proxy_p90_ms: p90.proxy,
    proxy_p99_ms: p99.proxy,
    added_p50_ms: p50.proxy - p50.mock,
    added_p90_ms: p90.proxy - p90.mock,
    added_p99_ms: p99.proxy - p99.mock,
    errors,
  };
}

export type OpenStreamsSection = {
  requested: number;
  open: number;
  idle_rss_mb: number;
  rss_mb: number;
  tree_rss_mb: number;
  per_stream_kb: number | null;
  failures: Record<string, number>;
};

const IDLE_WARM_REQUESTS = 200;

/**
 * A fresh proxy in front of a slow upstream: its RSS idle, then with `count` streams held open. The idle
 * figure is taken after a few sequential JSON requests (answered at once: the mock paces SSE only), so code
 * loaded on first use lands in it; a heavy load first would grow the heap and hide what streams cost.
 */
export async function openStreamsRss(
  proxy: Server,
  count: number,
  opts: { timeoutSeconds: number },
): Promise<OpenStreamsSection> {
  await runLoad(proxy.endpoint, { connections: 1, amount: IDLE_WARM_REQUESTS, duration: 10 });
  await sleep(1_000);
  const idle = serverRss(proxy).mb;
  const streams = await openStreams(proxy.endpoint, count, opts.timeoutSeconds * 1000);
  try {
    // A moment for buffers and timers of the last wave to settle before sampling.
    await sleep(1_000);
    const open = streams.open();
    const { mb: rss, treeMb } = serverRss(proxy);
    return {
      requested: count,
      open,
      idle_rss_mb: idle,
      rss_mb: rss,
      tree_rss_mb: treeMb,
      per_stream_kb: open > 0 ? ((rss - idle) * 1024) / open : null,
      failures: { ...streams.failures },
    };
  } finally {
    streams.close();
  }
}

export type RssFlatSection = {
  target_requests: number;
  requests: number;
  every: number;
  samples_mb: number[];
  before_mb: number;
  min_mb: number;
  max_mb: number;
  spread_pct: number;
  capped: boolean;
  errors: number;
  non2xx: number;
  status_codes: Record<string, number>;
  seconds: number;
};

/** `total` requests in runs of `every`, sampling the proxy's RSS after each; stops early at `maxSeconds`. */
export async function rssFlat(
  proxy: Server,
  opts: { total: number; every: number; maxSeconds: number; connections: number },
): Promise<RssFlatSection> {
  const started = Date.now();
  const deadline = started + opts.maxSeconds * 1000;
  const before = serverRss(proxy).mb;
  const samples: number[] = [];
  const codes: Record<string, number> = {};
  let requests = 0,
    errors = 0,
    non2xx = 0;
  for (let run = 0; run < Math.ceil(opts.total / opts.every) && Date.now() < deadline - 1_000; run++) {
    const left = Math.max(1, Math.floor((deadline - Date.now()) / 1000));
    const result: LoadResult = await runLoad(proxy.endpoint, {
      connections: opts.connections,
      duration: left,
      amount: Math.min(opts.every, opts.total - requests),
    });
    requests += result.requests;
    errors += result.errors;
    non2xx += result.non2xx;
    for (const [code, n] of Object.entries(result.status_codes)) codes[code] = (codes[code] ?? 0) + n;
    samples.push(serverRss(proxy).mb);
  }
  const min = samples.length ? Math.min(...samples) : Number.NaN,
    max = samples.length ? Math.max(...samples) : Number.NaN;
  return {
    target_requests: opts.total,
    requests,
    every: opts.every,
    samples_mb: samples,
    before_mb: before,
    min_mb: min,
    max_mb: max,
    spread_pct: ((max - min) / (max + min)) * 100,
    capped: requests < opts.total,
    errors,
    non2xx,
    status_codes: codes,
    seconds: (Date.now() - started) / 1000,
  };
}

export type FixedRateSection = { rate: number; autocannon: LoadResult; paced: PacedResult };

/** autocannon's overallRate (a burst each second), then the same rate evenly paced (bench/paced.ts). */
export async function fixedRate(
  endpoint: Endpoint,
  opts: { rate: number; duration: number; warmup: number; connections: number },
): Promise<FixedRateSection> {
  const load = { connections: opts.connections, overallRate: opts.rate, ignoreCoordinatedOmission: true };
  if (opts.warmup > 0) await runLoad(endpoint, { ...load, duration: opts.warmup });
  const autocannon = await runLoad(endpoint, { ...load, duration: opts.duration });
  const paced = await pacedLoad(endpoint, { rate: opts.rate, duration: opts.duration, sockets: opts.connections });
  return { rate: opts.rate, autocannon, paced };
}

export type InterleavedSection = {
  rounds: number;
  slice_s: number;
  requests: number;
  seconds: number;
  rps: number;
  errors: number;
  non2xx: number;
};

/**
 * (e) Throughput with the machine's drift taken out: every target is running at once (each with its own
 * mock), and the load visits them in turn, one `sliceSeconds` slice each, `rounds` times. Sequential rows
 * are minutes apart, and this machine's speed wanders by up to 2× over minutes; here every target sees the
 * same conditions, so their ratios are comparable. Only one target is loaded at any moment.
 */
export async function interleaved(
  targets: Server[],
  opts: { rounds: number; sliceSeconds: number; connections: number; warmupSeconds: number },
): Promise<Map<string, InterleavedSection>> {
  const totals = new Map(
    targets.map((t) => [
      t.name,
      { rounds: 0, slice_s: opts.sliceSeconds, requests: 0, seconds: 0, rps: 0, errors: 0, non2xx: 0 },
    ]),
  );
  for (const target of targets)
    if (opts.warmupSeconds > 0)
      await runLoad(target.endpoint, { connections: opts.connections, duration: opts.warmupSeconds });
  for (let round = 0; round < opts.rounds; round++) {
    for (const target of targets) {
      const started = performance.now();
      const result = await runLoad(target.endpoint, { connections: opts.connections, duration: opts.sliceSeconds });
      const total = totals.get(target.name)!;
      total.rounds++;
      total.requests += result.requests;
      total.seconds += (performance.now() - started) / 1000;
      total.errors += result.errors + result.timeouts;
      total.non2xx += result.non2xx;
    }
  }
  for (const total of totals.values()) total.rps = total.seconds > 0 ? total.requests / total.seconds : 0;
  return totals;
}

export type InterleavedPacedSection = {
  rounds: number;
  slice_s: number;
  rate: number;
  completed: number;
  errors: number;
  non2xx: number;
  p50_ms: number;
  p99_ms: number;
};

/**
 * (f) Latency at a fixed rate with the drift taken out, as (e) does for throughput: the mock alone and the
 * proxies are paced in turn, `sliceSeconds` each, `rounds` times, and each one's latencies are pooled. In (d)
 * the rows are minutes apart, so "added" there compares moments of a machine whose speed wanders; here the
 * mock and every proxy see the same moments. Each target keeps its connections across its slices.
 */
export async function interleavedPaced(
  targets: Server[],
  opts: { rounds: number; sliceSeconds: number; rate: number; sockets: number },
): Promise<Map<string, InterleavedPacedSection>> {
  const state = targets.map((target) => ({
    target,
    agent: new http.Agent({ keepAlive: true, maxSockets: opts.sockets }),
    latencies: [] as number[],
    completed: 0,
    errors: 0,
    non2xx: 0,
    rounds: 0,
  }));
  try {
    // Warm-up: connections opened and code paths hot before anything counts.
    for (const s of state)
      await pacedLoad(s.target.endpoint, { rate: opts.rate, duration: 1, sockets: opts.sockets, agent: s.agent });
    for (let round = 0; round < opts.rounds; round++) {
      for (const s of state) {
        const result = await pacedLoad(s.target.endpoint, {
          rate: opts.rate,
          duration: opts.sliceSeconds,
          sockets: opts.sockets,
          agent: s.agent,
          record: s.latencies,
        });
        s.rounds++;
        s.completed += result.completed;
        s.errors += result.errors;
        s.non2xx += result.non2xx;
      }
    }
  } finally {
    for (const s of state) s.agent.destroy();
  }
  return new Map(
    state.map((s) => [
      s.target.name,
      {
        rounds: s.rounds,
        slice_s: opts.sliceSeconds,
        rate: opts.rate,
        completed: s.completed,
        errors: s.errors,
        non2xx: s.non2xx,
        p50_ms: percentile(s.latencies, 50),
        p99_ms: percentile(s.latencies, 99),
      },
    ]),
  );
}
