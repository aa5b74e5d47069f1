// Child processes of the benchmark: every server under test runs in its own process (so its CPU is not the
// load generator's), is tracked here, and is killed at the end of the run whatever happened.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

export type Child = {
  name: string;
  pid: number;
  /** The last few kilobytes of its stdout and stderr, for error messages. */
  output(): string;
  /** Null while it runs; its exit code (or signal name) once it has exited. */
  exitStatus(): string | null;
  stop(): Promise<void>;
};

/** The repository root: every child runs there, so `--import tsx` and relative paths resolve. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUTPUT_TAIL = 4_000;
const STOP_GRACE_MS = 5_000;
const running = new Map<number, () => Promise<void>>();

let closing = false;

/** Starts a process in its own process group, so stopping it also stops anything it started. */
export function spawnChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  // After an interrupt the run may still be unwinding: nothing new may start behind the clean-up's back.
  if (closing) throw new Error("the benchmark is stopping");
  const proc = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  if (proc.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = proc.pid;
  let tail = "";
  let status: string | null = null;
  // Always drained: a child blocked on a full pipe would look like a slow server.
  const keep = (chunk: Buffer) => void (tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_TAIL));
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) =>
    proc.once("exit", (code, signal) => {
      status = signal ?? String(code);
      running.delete(pid);
      resolve();
    }),
  );
  const stop = async () => {
    if (status !== null) return;
    killGroup(pid, "SIGTERM");
    const timer = sleep(STOP_GRACE_MS, undefined, { ref: false }).then(() => "timeout" as const);
    if ((await Promise.race([exited.then(() => "exited" as const), timer])) === "timeout") {
      killGroup(pid, "SIGKILL");
      await Promise.race([exited, sleep(STOP_GRACE_MS, undefined, { ref: false })]);
    }
  };
  running.set(pid, stop);
  return { name, pid, output: () => tail, exitStatus: () => status, stop };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stops every child still running (SIGTERM, then SIGKILL after a grace period); none may start after. */
export async function stopAllChildren(): Promise<void> {
  closing = true;
  await Promise.all([...running.values()].map((stop) => stop()));
}

// Last resort when the harness exits abruptly (an uncaught error): no async work is possible here.
process.on("exit", () => {
  for (const pid of running.keys()) killGroup(pid, "SIGKILL");
});

/** Waits until `url` answers HTTP at all; fails if the child exits first or the time is up. */
export async function waitForHttp(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitStatus() !== null)
      throw new Error(`${child.name} exited (${child.exitStatus()}) before it was ready: ${lastWords(child.output())}`);
    if (await answers(url)) return;
    await sleep(150);
  }
  throw new Error(`${child.name} was not ready after ${timeoutMs / 1000} s: ${lastWords(child.output())}`);
}

/** The end of a child's output on one line: the reason it gives last is what a table cell needs. */
function lastWords(output: string): string {
  return output.replace(/\s+/g, " ").trim().slice(-300) || "(no output)";
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
export function statFields(pid: number | "self"): string[] {
  const stat = readOr(`/proc/${pid}/stat`);
  return stat ? stat.slice(stat.lastIndexOf(")") + 2).split(" ") : [];
}

/** A process and all its descendants, from the parent links in /proc. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length && i < 10_000; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

/** Resident memory of one process, in MB (VmRSS from /proc); 0 once it has gone. */
export function processRssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readOr(`/proc/${pid}/status`));
  return match ? Number(match[1]) / 1024 : 0;
}

/** Resident memory of a process and all its descendants, in MB. */
export function treeRssMb(rootPid: number): number {
  return processTree(rootPid).reduce((sum, pid) => sum + processRssMb(pid), 0);
}

export function readOr(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
