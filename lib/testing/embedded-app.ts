// The real server on the embedded PostgreSQL it starts and owns (no DATABASE_URL), for tests of what it does
// with that database across signals and crashes: its environment, its database's address, a Prisma client
// pointed at it for seeding and reading back, and whether its postmaster still runs.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { databaseUrl } from "@/lib/db/admin";
import { disconnectDb } from "@/lib/db/client";
import { APP_DATABASE, startEmbeddedPostgres } from "@/lib/db/embedded";
import { readCredentials } from "@/lib/db/embedded-state";

// What must not leak from the test process into the app: with DATABASE_URL it would not embed anything.
const INHERITED_CONFIG = ["DATABASE_URL", "PORT", "DATA_DIR", "APP_URL", "EMBEDDED_PG_PORT", "PROXY_FAST_PATH"];

/** The app's environment: the test's own ENCRYPTION_KEY and AUTH_SECRET, so what the test seeds it can read. */
export function embeddedAppEnv(options: {
  dataDir: string;
  port: number;
  pgPort: number;
  upstream: string;
  fastPath: "on" | "off";
}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of INHERITED_CONFIG) delete env[name];
  return {
    ...env,
    DATA_DIR: options.dataDir,
    EMBEDDED_PG_PORT: String(options.pgPort),
    APP_URL: `http://127.0.0.1:${options.port}`,
    OPENAI_BASE_URL: options.upstream,
    PROXY_FAST_PATH: options.fastPath,
    UPSTREAM_TIMEOUT_MS: "1500",
    LOG_LEVEL: "info",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

async function credentialsOf(dataDir: string) {
  const credentials = await readCredentials(path.join(dataDir, "postgres.json"));
  if (!credentials) throw new Error(`no embedded PostgreSQL in ${dataDir}`);
  return credentials;
}

/** The application database of the embedded server in `dataDir` (running or not). */
export async function embeddedDatabaseUrl(dataDir: string): Promise<string> {
  const { user, password, port } = await credentialsOf(dataDir);
  const server = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return databaseUrl(server, APP_DATABASE);
}

/**
 * Runs `fn` with lib/db/client.ts's db() on `url` (seeding through the real code paths), then puts it back.
 * Disconnected afterwards either way: an idle connection to a server the app stops must not linger.
 */
export async function withDatabase<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env.DATABASE_URL;
  await disconnectDb();
  process.env.DATABASE_URL = url;
  try {
    return await fn();
  } finally {
    await disconnectDb();
    process.env.DATABASE_URL = previous;
  }
}

/** Runs `fn` against the app's database while the app is stopped, on a server of our own started for it. */
export async function withStoppedAppDatabase<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const server = await startEmbeddedPostgres({ dataDir });
  if (!server.owned) throw new Error(`a PostgreSQL server still runs on ${dataDir}: the app did not stop it`);
  try {
    return await withDatabase(server.url, fn);
  } finally {
    await server.stop();
  }
}

/** The PID in the cluster's postmaster.pid, which PostgreSQL removes when it stops cleanly. */
export async function postmasterPid(dataDir: string): Promise<number | null> {
  const { clusterDir } = await credentialsOf(dataDir);
  const file = path.join(clusterDir ?? path.join(dataDir, "postgres"), "postmaster.pid");
  const text = await readFile(file, "utf8").catch(() => null);
  const pid = Number(text?.split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Whether `pid` runs. A zombie does not: an exited process waits there until its parent (init) reaps it. */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (stat === null) return process.platform !== "linux";
  return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
}
