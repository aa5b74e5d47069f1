// Starting the servers under test, each in its own process: the mock upstream, the plain proxy and
// Portkey's gateway.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { findFreePort } from "@/lib/db/embedded-location";
import { chatProblem, openStreams, type Endpoint } from "./http";
import { processRssMb, ROOT, spawnChild, treeRssMb, waitForHttp, type Child } from "./processes";

/**
 * `rssScope`: which processes the proxy's memory is measured on. "tree" (the default): the process and
 * everything it started. "process": the process alone, for Keyward's edge, whose child (the web process
 * with Next.js, serving the dashboard) takes no part in proxying; its memory is reported separately.
 */
export type Server = {
  name: string;
  child: Child;
  endpoint: Endpoint;
  port: number;
  bind: string;
  rssScope?: "tree" | "process";
};

/** The proxy's RSS in MB (see `rssScope`), and that of the whole process tree. */
export function serverRss(server: Server): { mb: number; treeMb: number } {
  const treeMb = treeRssMb(server.child.pid);
  return { mb: server.rssScope === "process" ? processRssMb(server.child.pid) : treeMb, treeMb };
}

/** The upstream every proxy forwards to: lib/mock-openai, in its own process. */
export type Upstream = Server & { baseUrl: string; chunkDelayMs: number };

export const BENCH_UPSTREAM_KEY = "sk-bench-0000000000000000000000000000";
const READY_TIMEOUT_MS = 30_000;
const TSX = ["--import", "tsx"];

/**
 * The mock upstream in its own process. `chunkDelayMs` > 0 makes it pace SSE chunks (`--chunk-delay-ms`),
 * which holds streams open. Checked before use: a mock that cannot do what the run needs fails loudly.
 */
export async function startUpstream(chunkDelayMs: number): Promise<Upstream> {
  const port = await findFreePort();
  const child = spawnChild("mock", process.execPath, [
    ...TSX,
    "lib/mock-openai/main.ts",
    "--port",
    String(port),
    "--chunk-delay-ms",
    String(chunkDelayMs),
  ]);
  await waitForHttp(`http://127.0.0.1:${port}/`, child, READY_TIMEOUT_MS);
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const endpoint = { url: `${baseUrl}/chat/completions`, headers: { authorization: `Bearer ${BENCH_UPSTREAM_KEY}` } };
  const upstream = { name: "mock", child, endpoint, port, bind: listenAddresses(port), baseUrl, chunkDelayMs };
  const problem = await upstreamProblem(upstream, chunkDelayMs);
  if (problem === null) return upstream;
  await child.stop();
  throw new Error(problem);
}

async function upstreamProblem(mock: Server, chunkDelayMs: number): Promise<string | null> {
  if (chunkDelayMs === 0) {
    const problem = await chatProblem(mock.endpoint);
    return problem && `the mock cannot serve the benchmark: ${problem}`;
  }
  // Slow mode must keep a stream open after its first chunk, or the open-streams section measures nothing.
  const probe = await openStreams(mock.endpoint, 1, 5_000);
  await sleep(1_500);
  const open = probe.open();
  probe.close();
  return open === 1
    ? null
    : `the mock did not hold a stream open with --chunk-delay-ms ${chunkDelayMs} (${JSON.stringify(probe.failures)})`;
}

export async function startPlainProxy(upstream: Upstream): Promise<Server> {
  const port = await findFreePort();
  const child = spawnChild("plain-proxy", process.execPath, [
    ...TSX,
    "bench/plain-proxy.ts",
    "--port",
    String(port),
    "--upstream",
    `http://127.0.0.1:${upstream.port}`,
  ]);
  await waitForHttp(`http://127.0.0.1:${port}/`, child, READY_TIMEOUT_MS);
  return {
    name: "plain-proxy",
    child,
    port,
    bind: listenAddresses(port),
    endpoint: { url: `http://127.0.0.1:${port}/v1/chat/completions`, headers: upstream.endpoint.headers },
  };
}

const PORTKEY_ENTRY = "node_modules/@portkey-ai/gateway/build/start-server.js";

export async function startPortkey(upstream: Upstream): Promise<Server> {
  if (!existsSync(path.join(ROOT, PORTKEY_ENTRY))) throw new Error(`${PORTKEY_ENTRY} is missing (npm ci?)`);
  const port = await findFreePort();
  // No host flag exists (it listens on every interface): the preload moves its listen() to 127.0.0.1.
  const child = spawnChild(
    "portkey",
    process.execPath,
    ["--import", "./bench/loopback-only.mjs", PORTKEY_ENTRY, `--port=${port}`, "--headless"],
    { ...process.env, NODE_ENV: "production" },
  );
  await waitForHttp(`http://127.0.0.1:${port}/`, child, READY_TIMEOUT_MS);
  const headers = {
    ...upstream.endpoint.headers,
    "x-portkey-provider": "openai",
    "x-portkey-custom-host": upstream.baseUrl,
  };
  return {
    name: "portkey",
    child,
    port,
    bind: listenAddresses(port),
    endpoint: { url: `http://127.0.0.1:${port}/v1/chat/completions`, headers },
  };
}

/** The local addresses listening on `port`, from /proc/net/tcp{,6}: proof of what each server bound. */
export function listenAddresses(port: number): string {
  const found = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(1) : [];
    for (const line of lines) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [hexAddress, hexPort] = (local ?? "").split(":");
      // 0A is TCP_LISTEN.
      if (state !== "0A" || parseInt(hexPort ?? "", 16) !== port || !hexAddress) continue;
      found.add(decodeAddress(hexAddress));
    }
  }
  return [...found].join(" ") || "unknown";
}

function decodeAddress(hex: string): string {
  if (hex.length === 8)
    return (hex.match(/../g) ?? [])
      .map((byte) => parseInt(byte, 16))
      .reverse()
      .join(".");
  if (/^0+$/.test(hex)) return "::";
  if (hex === "00000000000000000000000001000000") return "::1";
  // An IPv4-mapped address (::ffff:a.b.c.d) ends with the IPv4 address in the same byte order as tcp.
  return hex.startsWith("0000000000000000FFFF0000") ? `::ffff:${decodeAddress(hex.slice(24))}` : `ipv6:${hex}`;
}
