// Starts the app as a child process (the production server by default, or `npm start`) and waits until
// /api/ready answers. Used by the e2e global setup and the start-up integration tests.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export type AppProcess = { url: string; child: ChildProcess; output: () => string; stop(): Promise<number | null> };

/** Where and as whom a command runs: by default here, as we are. */
export type RunAs = { cwd?: string; user?: { uid: number; gid: number } };

export type StartOptions = RunAs & {
  command?: readonly [string, ...string[]];
  timeoutMs?: number;
  logFile?: string;
  /** HOST for the server; 127.0.0.1 unless a test needs it reachable on another address. */
  host?: string;
};

/**
 * The production server as `npm start` runs it (app-process.test.ts keeps the two the same): the edge bundle
 * (fresh: the global set-ups rebuild it). --heap-growing-percent=50: the edge's old generation is collected
 * at 1.5× its live size instead of V8's default of up to 4×. Under load, whose promoted garbage fills it, that
 * held the edge's RSS at ±1–2% instead of swinging between about 125 and 190 MB, at no measured cost in
 * throughput or latency.
 */
export const SERVER = [
  process.execPath,
  "--enable-source-maps",
  "--heap-growing-percent=50",
  "dist/server.mjs",
] as const;

/** Whether any process of the group `pid` leads (the app started by startApp, and its children) is left. */
export function groupAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True once `url` refuses a new TCP connection (a pooled keep-alive one would still be served after close). */
export function refusesConnections(url: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

export async function startApp(env: NodeJS.ProcessEnv, port: number, options: StartOptions = {}): Promise<AppProcess> {
  const [command, ...args] = options.command ?? SERVER;
  const timeoutMs = options.timeoutMs ?? 60_000;
  // Its own process group, so stop() reaches the server behind `npm start`'s shell too.
  const child = spawn(command, args, {
    cwd: options.cwd ?? process.cwd(),
    ...options.user,
    env: { ...env, PORT: String(port), HOST: options.host ?? "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const log = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : null;
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    log?.write(chunk);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.once("exit", () => log?.end());
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`The app exited with ${child.exitCode} before it was ready:\n${output}`);
    if (
      await fetch(`${url}/api/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      signal("SIGKILL");
      throw new Error(`The app was not ready after ${timeoutMs} ms:\n${output}`);
    }
    await sleep(200);
  }
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) signal("SIGTERM");
      const code = await exited;
      // `npm start` exits before the server it started has finished shutting down: wait for the group.
      for (const until = Date.now() + 20_000; groupAlive(child.pid) && Date.now() < until;) await sleep(100);
      return code;
    },
  };
}

/** Exit code and output of a command that is expected to end by itself. */
export async function runToExit(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
  where: RunAs = {},
): Promise<{ code: number | null; output: string; stdout: string; stderr: string }> {
  const child = spawn(command, args, {
    cwd: where.cwd ?? process.cwd(),
    ...where.user,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  // `output` interleaves both streams as they came; stdout and stderr apart, for what must go to one only.
  let output = "";
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => ((output += chunk.toString()), (stdout += chunk.toString())));
  child.stderr.on("data", (chunk: Buffer) => ((output += chunk.toString()), (stderr += chunk.toString())));
  child.stdin.end(input ?? "");
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, output, stdout, stderr };
}
