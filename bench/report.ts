// The results: one Markdown document (main table, sections (a)–(f), ratios) printed and saved under
// bench/results/<UTC timestamp>.md, and the rows as bench/results/latest.json.
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { describeErrors, type LoadResult } from "./load";
import type { BenchOptions, RowName } from "./options";
import { ROOT } from "./processes";
import type {
  FirstChunkSection,
  FixedRateSection,
  InterleavedPacedSection,
  InterleavedSection,
  OpenStreamsSection,
  RssFlatSection,
} from "./sections";

/** A section that could not run says why instead of showing numbers. */
export type Outcome<T> = T | { failed: string } | null;

export type Row = {
  name: RowName;
  status: "ok" | "skipped" | "failed";
  reason: string | null;
  rps: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  rss_mb: number | null;
  /** Every process the server started (for Keyward's fast path: the edge and the web process). */
  rss_tree_mb: number | null;
  load: LoadResult | null;
  bind: string | null;
  first_chunk: Outcome<FirstChunkSection>;
  open_streams: Outcome<OpenStreamsSection>;
  rss_flat: Outcome<RssFlatSection>;
  fixed_rate: Outcome<FixedRateSection>;
  interleaved: Outcome<InterleavedSection>;
  interleaved_paced: Outcome<InterleavedPacedSection>;
};

export type RunInfo = {
  timestamp: string;
  options: BenchOptions;
  keyward: string | null;
  seconds: number;
  loadBefore: string;
  otherCpuPercent: number;
};

export function emptyRow(name: RowName, status: Row["status"] = "ok", reason: string | null = null): Row {
  return {
    name,
    status,
    reason,
    rps: null,
    p50_ms: null,
    p99_ms: null,
    rss_mb: null,
    rss_tree_mb: null,
    load: null,
    bind: null,
    first_chunk: null,
    open_streams: null,
    rss_flat: null,
    fixed_rate: null,
    interleaved: null,
    interleaved_paced: null,
  };
}

const num = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || Number.isNaN(value) ? "n/a" : value.toFixed(digits);
const signed = (value: number): string => (Number.isNaN(value) ? "n/a" : `${value >= 0 ? "+" : ""}${value.toFixed(2)}`);
const failures = (record: Record<string, number>): string =>
  Object.entries(record)
    .map(([why, n]) => `${why} ×${n}`)
    .join(", ") || "ok";
// Reasons come from errors and child output: a "|" or a line break in them would break the table.
const cell = (text: string | null): string => (text ?? "").replace(/\s+/g, " ").replace(/\|/g, "\\|");
const isFailed = (value: unknown): value is { failed: string } =>
  typeof value === "object" && value !== null && "failed" in value;

function sectionRows<T>(
  rows: Row[],
  pick: (row: Row) => Outcome<T>,
  cells: (row: Row, value: T) => string[],
  width: number,
): string[] {
  return rows.flatMap((row) => {
    const value = pick(row);
    if (value === null)
      return row.status === "ok"
        ? []
        : [`| ${row.name} | ${row.status}: ${cell(row.reason)} |${" |".repeat(width - 2)}`];
    if (isFailed(value)) return [`| ${row.name} | failed: ${cell(value.failed)} |${" |".repeat(width - 2)}`];
    return [`| ${cells(row, value).join(" | ")} |`];
  });
}

export function renderMarkdown(rows: Row[], info: RunInfo): string {
  const o = info.options;
  const fixedMock = rows.find((row) => row.name === "mock")?.fixed_rate;
  const mock =
    fixedMock && !isFailed(fixedMock)
      ? { autocannon: fixedMock.autocannon.p99_ms, paced: fixedMock.paced.p99_ms }
      : { autocannon: Number.NaN, paced: Number.NaN };
  const lines = [
    `# Keyward benchmark, ${info.timestamp} (${o.mode} mode, ${info.seconds.toFixed(0)} s)`,
    "",
    `One run on this machine: Node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} cores; other processes used ${num(info.otherCpuPercent)}% of the CPU during the run (load average before it: ${info.loadBefore}), which skews every row. Load from autocannon in the harness process, every server in its own process on 127.0.0.1.`,
    `Upstream: lib/mock-openai (a fresh one per row). Body \`{"model":"gpt-4o-mini","messages":[...]}\`, ${o.connections} connections, warm-up ${o.warmup} s, measured ${o.duration} s. RSS (VmRSS, after the run): the processes that proxy — for keyward-fast-path the edge process alone; "all processes" adds what they started (Keyward's web process with Next.js, serving the dashboard).`,
    ...(info.keyward ? [`Keyward: ${info.keyward}.`] : []),
    "",
    "| row | req/s | p50 ms | p99 ms | RSS MB | all processes MB | requests | errors | bind |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ...rows.map((row) =>
      row.status !== "ok" || !row.load
        ? `| ${row.name} | ${row.status}: ${cell(row.reason ?? "no result")} | | | | | | | |`
        : `| ${row.name} | ${num(row.rps, 0)} | ${num(row.p50_ms)} | ${num(row.p99_ms)} | ${num(row.rss_mb)} | ${num(row.rss_tree_mb)} | ${row.load.requests} | ${describeErrors(row.load)} | ${row.bind ?? "?"} |`,
    ),
    "",
    `### (a) Streaming: time to first SSE chunk, ${o["first-chunk-requests"].toLocaleString("en-US")} sequential requests alternating with the mock directly (after a 2 s rest and 200 uncounted pairs)`,
    "",
    "Added = the proxy's percentile minus the mock's at the same percentile.",
    "",
    "| proxy | requests | mock p50 ms | proxy p50 ms | added p50 ms | added p90 ms | mock p99 ms | proxy p99 ms | added p99 ms | errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...sectionRows(
      rows,
      (row) => row.first_chunk,
      (row, v) => [
        row.name,
        String(v.requests),
        num(v.mock_p50_ms, 2),
        num(v.proxy_p50_ms, 2),
        signed(v.added_p50_ms),
        signed(v.added_p90_ms),
        num(v.mock_p99_ms, 2),
        num(v.proxy_p99_ms, 2),
        signed(v.added_p99_ms),
        failures(v.errors),
      ],
      10,
    ),
    "",
    `### (b) RSS with ${o["open-streams"]} concurrent open streams (fresh proxy, mock pacing chunks ${o["stream-delay-ms"] / 1000} s apart)`,
    "",
    "| proxy | streams open | RSS idle MB (after 200 requests) | RSS with streams MB | all processes MB | Δ KB per stream | failures |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...sectionRows(
      rows,
      (row) => row.open_streams,
      (row, v) => [
        row.name,
        `${v.open} / ${v.requested}`,
        num(v.idle_rss_mb),
        num(v.rss_mb),
        num(v.tree_rss_mb),
        num(v.per_stream_kb),
        failures(v.failures),
      ],
      7,
    ),
    "",
    `### (c) RSS over ${o["rss-requests"].toLocaleString("en-US")} requests, sampled every ${o["rss-every"].toLocaleString("en-US")} (at most ${o["rss-max-seconds"]} s per proxy)`,
    "",
    "| proxy | requests | before MB | min MB | max MB | spread ± % | samples MB | errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ...sectionRows(
      rows,
      (row) => row.rss_flat,
      (row, v) => [
        row.name,
        `${v.requests}${v.capped ? " (time cap)" : ""}`,
        num(v.before_mb),
        num(v.min_mb),
        num(v.max_mb),
        num(v.spread_pct),
        v.samples_mb.map((mb) => mb.toFixed(0)).join(" "),
        describeErrors({ errors: v.errors, timeouts: 0, non2xx: v.non2xx, status_codes: v.status_codes }),
      ],
      8,
    ),
    "",
    `### (d) Latency at a fixed ${o.rate} req/s for ${o["rate-duration"]} s, ${o.connections} connections`,
    "",
    'autocannon `overallRate` gives each connection a per-second quota that it sends back to back at the start of each second (a burst a second; raw latencies, its 1 ms coordinated-omission correction off). "paced" sends one request every 1/rate s and counts latency from when each was due.',
    "",
    "| target | autocannon req/s | autocannon p50 ms | autocannon p99 ms | added p99 ms | paced req/s | paced p50 ms | paced p99 ms | added p99 ms | errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...sectionRows(
      rows,
      (row) => row.fixed_rate,
      (row, v) => [
        row.name,
        num(v.autocannon.rps, 0),
        num(v.autocannon.p50_ms),
        num(v.autocannon.p99_ms),
        row.name === "mock" ? "(baseline)" : signed(v.autocannon.p99_ms - mock.autocannon),
        num(v.paced.rps, 0),
        num(v.paced.p50_ms, 2),
        num(v.paced.p99_ms, 2),
        row.name === "mock" ? "(baseline)" : signed(v.paced.p99_ms - mock.paced),
        [describeErrors(v.autocannon), describeErrors({ ...v.paced, timeouts: 0 })]
          .map((text, i) => (text === "ok" ? "" : `${i === 0 ? "autocannon" : "paced"} ${text}`))
          .filter(Boolean)
          .join("; ") || "ok",
      ],
      10,
    ),
    "",
    `### (e) Throughput, interleaved: every proxy running at once, loaded in turn for 1 s each, ${o["interleave-rounds"]} rounds, ${o.connections} connections`,
    "",
    "The rows of the main table are measured minutes apart, and this machine's speed drifts by up to 2× over minutes (the plain proxy has measured 8,700–19,000 req/s in different runs). Here every proxy sees the same moments, so the ratios between them are fair.",
    "",
    "| proxy | slices | requests | req/s | / plain-proxy | errors |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    ...sectionRows(
      rows,
      (row) => row.interleaved,
      (row, v) => [
        row.name,
        String(v.rounds),
        String(v.requests),
        num(v.rps, 0),
        interleavedRatio(rows, row.name, "plain-proxy"),
        v.errors + v.non2xx === 0 ? "ok" : `errors ${v.errors}, non-2xx ${v.non2xx}`,
      ],
      6,
    ),
    "",
    `### (f) Latency at a fixed ${o.rate} req/s, interleaved: the mock alone and the proxies paced in turn for 1 s each, ${o["interleave-rounds"]} rounds, ${o.connections} connections, latencies pooled`,
    "",
    'As "paced" in (d), but the mock and each proxy see the same moments, so "added" (the proxy\'s pooled p99 minus the mock\'s) is not skewed by the machine\'s drift between rows. Portkey is left out: it cannot keep up with this rate, and its backlog would spill into the next slice.',
    "",
    "| target | slices | requests | p50 ms | p99 ms | added p99 ms | errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...sectionRows(
      rows,
      (row) => row.interleaved_paced,
      (row, v) => {
        const mockRow = rows.find((r) => r.name === "mock")?.interleaved_paced;
        const base = mockRow && !isFailed(mockRow) ? mockRow.p99_ms : Number.NaN;
        return [
          row.name,
          String(v.rounds),
          String(v.completed),
          num(v.p50_ms, 2),
          num(v.p99_ms, 2),
          row.name === "mock" ? "(baseline)" : signed(v.p99_ms - base),
          v.errors + v.non2xx === 0 ? "ok" : `errors ${v.errors}, non-2xx ${v.non2xx}`,
        ];
      },
      7,
    ),
    "",
    `Ratios, main table (sequential rows): keyward-fast-path / portkey req/s = ${ratio(rows, "keyward-fast-path", "portkey")}; keyward-fast-path / plain-proxy req/s = ${ratio(rows, "keyward-fast-path", "plain-proxy")}.`,
    `Ratios, interleaved (e): keyward-fast-path / portkey req/s = ${interleavedRatio(rows, "keyward-fast-path", "portkey")}; keyward-fast-path / plain-proxy req/s = ${interleavedRatio(rows, "keyward-fast-path", "plain-proxy")}.`,
    "",
  ];
  return lines.join("\n");
}

/** req/s of `top` over `bottom`, from the main table (`rps`) or from section (e). */
function ratio(
  rows: Row[],
  top: RowName,
  bottom: RowName,
  rps: (row: Row) => number | null = (row) => (row.status === "ok" ? row.rps : null),
): string {
  const pick = (name: RowName) => {
    const row = rows.find((r) => r.name === name);
    return row ? (rps(row) ?? 0) : 0;
  };
  const [a, b] = [pick(top), pick(bottom)];
  return a > 0 && b > 0 ? `${(a / b).toFixed(2)}×` : "n/a";
}

function interleavedRatio(rows: Row[], top: RowName, bottom: RowName): string {
  return ratio(rows, top, bottom, (row) =>
    row.interleaved && !isFailed(row.interleaved) ? row.interleaved.rps : null,
  );
}

/** Writes bench/results/<timestamp>.md and bench/results/latest.json; returns the Markdown file's path. */
export async function saveResults(rows: Row[], info: RunInfo, markdown: string): Promise<string> {
  const dir = path.join(ROOT, "bench", "results");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${info.timestamp.replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}.md`);
  await writeFile(file, markdown);
  const json = rows.map((row) => ({
    ...row,
    error_summary: row.load ? describeErrors(row.load) : row.status,
    timestamp: info.timestamp,
    mode: info.options.mode,
    connections: info.options.connections,
    duration_s: info.options.duration,
    load_before: info.loadBefore,
    other_cpu_pct: info.otherCpuPercent,
  }));
  // Three decimals are more than the measurements can tell apart.
  const rounded = (_key: string, value: unknown) =>
    typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
  await writeFile(path.join(dir, "latest.json"), `${JSON.stringify(json, rounded, 2)}\n`);
  return file;
}
