// npm run bench [-- --quick] — one run on this machine, one table: the mock upstream alone, a plain node:http
// proxy (the practical ceiling), Portkey's gateway and Keyward's two proxy paths, plus the sections
// (a)–(f). Rows that cannot run yet say why. Results are printed and saved under bench/results/.
import { readFileSync } from "node:fs";
import {
  buildProblem,
  KEYWARD_PATHS,
  runBuild,
  setUpKeyward,
  startKeyward,
  type KeywardRow,
  type KeywardSetup,
} from "./keyward";
import { runLoad } from "./load";
import { cpuSnapshot, otherCpuPercent } from "./machine";
import { parseOptions, type RowName } from "./options";
import { stopAllChildren } from "./processes";
import { emptyRow, renderMarkdown, saveResults, type Outcome, type Row } from "./report";
import {
  firstChunk,
  fixedRate,
  interleaved,
  interleavedPaced,
  openStreamsRss,
  rssFlat,
  type InterleavedPacedSection,
} from "./sections";
import { serverRss, startPlainProxy, startPortkey, startUpstream, type Server, type Upstream } from "./servers";

const options = parseOptions(process.argv.slice(2));
const log = (message: string) =>
  void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const FIRST_CHUNK_MAX_SECONDS = 90;
const OPEN_STREAMS_TIMEOUT_SECONDS = 30;

type Sections = { a?: boolean; b?: boolean; c?: boolean; d?: boolean };
type Target = {
  name: RowName;
  start: (upstream: Upstream) => Promise<Server>;
  sections: Sections;
  onStartError: "skipped" | "failed";
};

const cleanups: (() => Promise<void>)[] = [];

async function cleanUp(): Promise<void> {
  log("stopping every process started, removing the scratch database");
  await stopAllChildren();
  for (const cleanup of cleanups.splice(0))
    await cleanup().catch((error: unknown) => log(`clean-up failed: ${String(error)}`));
  log("clean");
}

// `on`, not `once`: npm and tsx may each pass the same interrupt on, and a second one without a handler
// would kill the harness before its clean-up, leaving servers and the scratch database behind.
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const message = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split("\n")[0]?.slice(0, 400) ?? "unknown error";

async function attempt<T>(what: string, fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return await fn();
  } catch (error) {
    log(`${what} failed: ${message(error)}`);
    return { failed: message(error) };
  }
}

/** A fresh upstream per target, so one target's load (and the mock's request log) never skews the next. */
const freshUpstream = (slow: boolean): Promise<Upstream> => startUpstream(slow ? options["stream-delay-ms"] : 0);

async function benchTarget(target: Target): Promise<Row> {
  const { name } = target;
  if (!options.only.includes(name)) return emptyRow(name, "skipped", "not selected (--only)");
  let upstream: Upstream;
  try {
    upstream = await freshUpstream(false);
  } catch (error) {
    log(`${name}: the mock upstream failed: ${message(error)}`);
    return emptyRow(name, "failed", `mock upstream: ${message(error)}`);
  }
  let server: Server;
  try {
    log(`${name}: starting`);
    server = name === "mock" ? upstream : await target.start(upstream);
  } catch (error) {
    await upstream.child.stop();
    log(`${name}: ${target.onStartError}: ${message(error)}`);
    return emptyRow(name, target.onStartError, message(error));
  }
  const row = emptyRow(name);
  row.bind = server.bind;
  try {
    log(`${name}: warm-up ${options.warmup} s, then ${options.duration} s at ${options.connections} connections`);
    if (options.warmup > 0)
      await runLoad(server.endpoint, { connections: options.connections, duration: options.warmup });
    const load = await runLoad(server.endpoint, { connections: options.connections, duration: options.duration });
    const rss = serverRss(server);
    Object.assign(row, {
      load,
      rps: load.rps,
      p50_ms: load.p50_ms,
      p99_ms: load.p99_ms,
      rss_mb: rss.mb,
      rss_tree_mb: rss.treeMb,
    });
    log(`${name}: ${load.rps.toFixed(0)} req/s, p99 ${load.p99_ms} ms`);
    if (target.sections.a) {
      log(`${name}: (a) time to first chunk`);
      row.first_chunk = await attempt(`${name} (a)`, () =>
        firstChunk(server.endpoint, upstream.endpoint, options["first-chunk-requests"], FIRST_CHUNK_MAX_SECONDS),
      );
    }
    if (target.sections.d) {
      log(`${name}: (d) fixed ${options.rate} req/s`);
      const rate = {
        rate: options.rate,
        duration: options["rate-duration"],
        warmup: Math.min(1, options.warmup),
        connections: options.connections,
      };
      row.fixed_rate = await attempt(`${name} (d)`, () => fixedRate(server.endpoint, rate));
    }
    if (target.sections.c) {
      log(`${name}: (c) RSS over ${options["rss-requests"]} requests`);
      const flat = {
        total: options["rss-requests"],
        every: options["rss-every"],
        maxSeconds: options["rss-max-seconds"],
        connections: options.connections,
      };
      row.rss_flat = await attempt(`${name} (c)`, () => rssFlat(server, flat));
    }
  } catch (error) {
    Object.assign(row, { status: "failed", reason: message(error) });
  } finally {
    if (server !== upstream) await server.child.stop();
    await upstream.child.stop();
  }
  if (target.sections.b && row.status === "ok") {
    log(`${name}: (b) ${options["open-streams"]} open streams`);
    row.open_streams = await attempt(`${name} (b)`, async () => {
      const slow = await freshUpstream(true);
      try {
        const fresh = await target.start(slow);
        try {
          return await openStreamsRss(fresh, options["open-streams"], { timeoutSeconds: OPEN_STREAMS_TIMEOUT_SECONDS });
        } finally {
          await fresh.child.stop();
        }
      } finally {
        await slow.child.stop();
      }
    });
  }
  return row;
}

/** The seeded installation for both Keyward rows, or the reason they cannot run. */
async function keywardSetup(): Promise<KeywardSetup | string> {
  if (!options.only.some((name) => name in KEYWARD_PATHS)) return "not selected (--only)";
  try {
    if (options.build) {
      log("npm run build");
      await runBuild();
    }
    const problem = buildProblem();
    if (problem) return problem;
    log("Keyward: fresh database, seeding with the CLI");
    const setup = await setUpKeyward();
    // Set up while an interrupt was being handled: the clean-up has already run, so close it here.
    if (interrupted) await setup.close();
    else cleanups.push(setup.close);
    return setup;
  } catch (error) {
    return `setup failed: ${message(error)}`;
  }
}

const INTERLEAVED: RowName[] = ["plain-proxy", "portkey", "keyward-fast-path"];
const PACED_INTERLEAVED: RowName[] = ["mock", "plain-proxy", "keyward-fast-path"];

/** (e) and (f): the ratio rows again, all running at once and loaded in turn (see sections.ts for why). */
async function interleavedSection(rows: Row[], setup: KeywardSetup | string): Promise<void> {
  const names = INTERLEAVED.filter(
    (name) =>
      rows.find((row) => row.name === name)?.status === "ok" &&
      (name !== "keyward-fast-path" || typeof setup !== "string"),
  );
  if (names.length < 2) return;
  log(`(e) interleaved: ${names.join(", ")}, ${options["interleave-rounds"]} rounds of 1 s each`);
  const servers: Server[] = [];
  const result = await attempt("(e) interleaved", async () => {
    for (const name of names) {
      const upstream = await freshUpstream(false);
      servers.push(upstream);
      if (name === "plain-proxy") servers.push(await startPlainProxy(upstream));
      else if (name === "portkey") servers.push(await startPortkey(upstream));
      else if (typeof setup !== "string") servers.push(await startKeyward(setup, upstream, "keyward-fast-path"));
    }
    const targets = servers.filter((server) => server.name !== "mock");
    return interleaved(targets, {
      rounds: options["interleave-rounds"],
      sliceSeconds: 1,
      connections: options.connections,
      warmupSeconds: options.warmup,
    });
  });
  // (f) on the same processes: the first mock alone, then the proxies that can keep up with the rate (Portkey
  // cannot: its backlog would spill into the next target's slice).
  const paced = servers.filter(
    (server, i) => PACED_INTERLEAVED.includes(server.name as RowName) && (server.name !== "mock" || i === 0),
  );
  let pacedResult: Outcome<Map<string, InterleavedPacedSection>> = null;
  if (result !== null && !("failed" in result) && paced.length >= 2) {
    log(
      `(f) paced ${options.rate} req/s, interleaved: ${paced.map((s) => s.name).join(", ")}, ${options["interleave-rounds"]} rounds of 1 s each`,
    );
    pacedResult = await attempt("(f) paced, interleaved", () =>
      interleavedPaced(paced, {
        rounds: options["interleave-rounds"],
        sliceSeconds: 1,
        rate: options.rate,
        sockets: options.connections,
      }),
    );
  }
  for (const server of servers.reverse()) await server.child.stop();
  for (const row of rows) {
    if (names.includes(row.name))
      row.interleaved = result === null ? null : "failed" in result ? result : (result.get(row.name) ?? null);
    if (PACED_INTERLEAVED.includes(row.name))
      row.interleaved_paced =
        pacedResult === null ? null : "failed" in pacedResult ? pacedResult : (pacedResult.get(row.name) ?? null);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const timestamp = new Date().toISOString();
  const loadBefore = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const cpuBefore = cpuSnapshot();
  const rows: Row[] = [];
  const all = { a: true, b: true, c: true, d: true };
  rows.push(
    await benchTarget({
      name: "mock",
      start: async (upstream) => upstream,
      sections: { d: true },
      onStartError: "failed",
    }),
  );
  rows.push(await benchTarget({ name: "plain-proxy", start: startPlainProxy, sections: all, onStartError: "failed" }));
  // Portkey gets the cheap sections too: its streaming and fixed-rate behaviour are worth seeing beside ours.
  rows.push(
    await benchTarget({ name: "portkey", start: startPortkey, sections: { a: true, d: true }, onStartError: "failed" }),
  );
  const setup = await keywardSetup();
  for (const name of Object.keys(KEYWARD_PATHS) as KeywardRow[]) {
    if (typeof setup === "string") {
      rows.push(emptyRow(name, "skipped", setup));
      continue;
    }
    rows.push(
      await benchTarget({
        name,
        start: (upstream) => startKeyward(setup, upstream, name),
        sections: all,
        onStartError: "skipped",
      }),
    );
  }
  if (options["interleave-rounds"] > 0) await interleavedSection(rows, setup);
  const info = {
    timestamp,
    options,
    keyward: typeof setup === "string" ? null : `${setup.database}, .next ${setup.buildAge}`,
    seconds: (Date.now() - started) / 1000,
    loadBefore,
    otherCpuPercent: otherCpuPercent(cpuBefore, cpuSnapshot()),
  };
  const markdown = renderMarkdown(rows, info);
  process.stdout.write(`\n${markdown}`);
  if (options.save) log(`saved ${await saveResults(rows, info, markdown)} and bench/results/latest.json`);
}

try {
  await main();
} catch (error) {
  log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
