// Keyward under test: a fresh database seeded with the real CLI, then the production server
// (dist/server.mjs, the edge bundle, on the `next build` output) with auth, scopes, limits and metering on:
// its edge process answers the fast path; with PROXY_FAST_PATH=off, Next's route handlers do.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, databaseUrl, dropDatabase, scratchDatabaseName } from "@/lib/db/admin";
import { startScratchServer, type ScratchServer } from "@/lib/db/scratch-server";
import { findFreePort } from "@/lib/db/embedded-location";
import { SERVER } from "@/lib/testing/app-process";
import { buildEdge } from "../scripts/build-edge.mjs";
import { chatProblem } from "./http";
import { ROOT, spawnChild, waitForHttp } from "./processes";
import { BENCH_UPSTREAM_KEY, listenAddresses, type Server, type Upstream } from "./servers";

export const KEYWARD_PATHS = {
  "keyward-route-handler": "/api/v1/chat/completions",
  "keyward-fast-path": "/v1/chat/completions",
} as const;
export type KeywardRow = keyof typeof KEYWARD_PATHS;

const EMAIL = "bench@example.com";
const SCOPES = JSON.stringify({ endpoints: { chat: "write" }, models: ["gpt-4o-mini"], limits: { rpm: 10_000_000 } });
const CLI_TIMEOUT_MS = 120_000;
const READY_TIMEOUT_MS = 120_000;
const BUILD_TIMEOUT_MS = 600_000;

/** A seeded installation (database, secrets, member key) that servers can be started on. */
export type KeywardSetup = {
  env: NodeJS.ProcessEnv;
  memberKey: string;
  buildAge: string;
  database: string;
  close(): Promise<void>;
};

/** Null when `next build` output is there; otherwise why the Keyward rows cannot run. */
export function buildProblem(): string | null {
  return existsSync(path.join(ROOT, ".next", "BUILD_ID"))
    ? null
    : "no production build (.next/BUILD_ID): run `npm run build` or pass --build";
}

export async function runBuild(): Promise<void> {
  const result = await run("npm", ["run", "build"], process.env, "", BUILD_TIMEOUT_MS);
  if (result.code !== 0) throw new Error(`npm run build failed (${result.code}):\n${result.output.slice(-2_000)}`);
}

export async function setUpKeyward(): Promise<KeywardSetup> {
  await buildEdge(); // the servers run dist/server.mjs: built from the current sources
  const scratch: ScratchServer = await startScratchServer();
  const name = scratchDatabaseName("keyward_bench");
  const dataDir = await mkdtemp(path.join(tmpdir(), "keyward-bench-"));
  const close = async () => {
    try {
      await dropDatabase(scratch.adminUrl, name).catch(() => undefined);
      await scratch.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  };
  try {
    await createDatabase(scratch.adminUrl, name);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl(scratch.adminUrl, name),
      AUTH_SECRET: randomBytes(32).toString("base64"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
    };
    const password = `Bench-${randomBytes(18).toString("base64url")}`;
    await cli(env, ["bootstrap", "--email", EMAIL, "--team", "bench"], password);
    await cli(env, ["upstream", "add", "--team", "bench", "--name", "bench", "--skip-check"], BENCH_UPSTREAM_KEY);
    const created = await cli(env, ["keys", "create", "--team", "bench", "--member", EMAIL, "--scopes", SCOPES], "");
    const memberKey = created.trim().split("\n").at(-1)?.trim() ?? "";
    if (!memberKey) throw new Error("keys create printed no key");
    const built = statSync(path.join(ROOT, ".next", "BUILD_ID")).mtime;
    const buildAge = `built ${built.toISOString()} (${Math.round((Date.now() - built.getTime()) / 60_000)} min before this run)`;
    return {
      env,
      memberKey,
      buildAge,
      database: scratch.embedded ? "embedded PostgreSQL (scratch)" : "fresh database on DATABASE_URL",
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** One Keyward server pointed at `upstream`; rejects with the reason when `row`'s path does not answer. */
/** `nodeArgs`: extra flags for the edge process (bench/profile.ts passes --cpu-prof). */
export async function startKeyward(
  setup: KeywardSetup,
  upstream: Upstream,
  row: KeywardRow,
  nodeArgs: string[] = [],
): Promise<Server> {
  const port = await findFreePort();
  // The route-handler row is the same server with the fast path off: Next's route handlers answer.
  const env = {
    ...setup.env,
    PORT: String(port),
    OPENAI_BASE_URL: upstream.baseUrl,
    PROXY_FAST_PATH: row === "keyward-fast-path" ? "on" : "off",
  };
  const child = spawnChild(row, process.execPath, [...nodeArgs, ...SERVER.slice(1)], env);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, child, READY_TIMEOUT_MS);
    const endpoint = {
      url: `http://127.0.0.1:${port}${KEYWARD_PATHS[row]}`,
      headers: { authorization: `Bearer ${setup.memberKey}` },
    };
    // The probe reads whole answers: in front of a slow (streams-held-open) upstream it would only time out.
    const problem = upstream.chunkDelayMs === 0 ? await chatProblem(endpoint) : null;
    if (problem) throw new Error(problem);
    // The fast path runs in the edge process; its child (Next.js) serves only the dashboard.
    return {
      name: row,
      child,
      port,
      bind: listenAddresses(port),
      endpoint,
      rssScope: row === "keyward-fast-path" ? "process" : "tree",
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

async function cli(env: NodeJS.ProcessEnv, args: string[], stdin: string): Promise<string> {
  const result = await run(process.execPath, ["bin/keyward.mjs", ...args], env, stdin, CLI_TIMEOUT_MS);
  if (result.code !== 0)
    throw new Error(`keyward ${args.slice(0, 2).join(" ")} failed (${result.code}): ${result.stderr.slice(-500)}`);
  return result.stdout;
}

type RunResult = { code: number | null; stdout: string; stderr: string; output: string };

/** A short-lived command with its input piped and a hard time limit. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin: string,
  timeoutMs: number,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, {
      cwd: ROOT,
      env,
      timeout: timeoutMs,
      killSignal: "SIGKILL",
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let output = "";
    proc.stdout.on("data", (chunk: Buffer) => void ((stdout += chunk), (output += chunk)));
    proc.stderr.on("data", (chunk: Buffer) => void ((stderr += chunk), (output += chunk)));
    proc.on("error", reject);
    proc.on("close", (code) => resolve({ code, stdout, stderr, output }));
    proc.stdin.end(stdin);
  });
}
