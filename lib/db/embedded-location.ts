// Where the embedded PostgreSQL keeps its cluster and which port it listens on, decided once when the cluster
// is first initialised and then kept in DATA_DIR/postgres.json (see embedded-state.ts).
import { randomBytes } from "node:crypto";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { describeFsError, StartupError } from "@/lib/server/startup-error";

export const DEFAULT_EMBEDDED_PORT = 54329;

/**
 * Where clusters go when DATA_DIR cannot hold one: as root, PostgreSQL runs as the OS user `postgres`, which
 * must pass through every folder above its cluster. A clone under /root or a `mktemp -d` folder (both 0700)
 * blocks it, and opening those folders up is not ours to do. /var/lib is where Debian keeps PostgreSQL's own.
 */
export const FALLBACK_CLUSTER_BASE = "/var/lib/keyward/clusters";

/** The first folder at or above `dir` that other users cannot enter, if any. */
export async function firstClosedFolder(dir: string): Promise<{ folder: string; mode: number } | null> {
  let blocked: { folder: string; mode: number } | null = null;
  for (let current = dir; ; current = path.dirname(current)) {
    const info = await stat(current).catch(() => null);
    // The topmost closed folder is the one to name: opening a lower one would not help.
    if (info && (info.mode & 0o001) === 0) blocked = { folder: current, mode: info.mode & 0o777 };
    if (path.dirname(current) === current) return blocked;
  }
}

/**
 * The cluster folder for a new cluster: DATA_DIR/postgres when the cluster's OS user can reach it, otherwise a
 * new folder under FALLBACK_CLUSTER_BASE (root only), with a note beside it naming the DATA_DIR it serves.
 */
export async function chooseClusterDir(
  dataDir: string,
  asRoot: boolean,
  log: (message: string) => void,
): Promise<string> {
  const inside = path.join(dataDir, "postgres");
  if (!asRoot) return inside;
  const closed = await firstClosedFolder(path.dirname(dataDir));
  if (!closed) return inside;
  const clusterDir = path.join(FALLBACK_CLUSTER_BASE, randomBytes(8).toString("hex"));
  try {
    await mkdir(FALLBACK_CLUSTER_BASE, { recursive: true, mode: 0o711 });
    await writeFile(`${clusterDir}.txt`, `PostgreSQL cluster of the Keyward data directory ${dataDir}\n`, {
      mode: 0o644,
    });
  } catch (error) {
    throw new StartupError(
      `the embedded PostgreSQL runs as the OS user "postgres", which cannot enter ${closed.folder} (mode ` +
        `${closed.mode.toString(8)}), and ${FALLBACK_CLUSTER_BASE} cannot be created either.`,
      `run \`chmod o+x ${closed.folder}\` (lets other users pass through it, not list it), set DATA_DIR to a ` +
        `folder outside it, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  log(
    `The OS user "postgres" cannot enter ${closed.folder} (mode ${closed.mode.toString(8)}), so the database ` +
      `cluster lives in ${clusterDir}; ${path.join(dataDir, "postgres.json")} records where. Back up both.`,
  );
  return clusterDir;
}

/** False when another program listens on it; any other failure (no such address, a privileged port) throws. */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") return resolve(false);
      reject(
        new StartupError(
          `cannot listen on ${host}:${port}: ${describeFsError(error)}.`,
          "check HOST and PORT (and EMBEDDED_PG_PORT).",
        ),
      );
    });
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it; another process could still take it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * The port to start on. An explicit EMBEDDED_PG_PORT is used as it is, or refused by name when it is taken.
 * Otherwise the remembered one (54329 for a new cluster) while it is free, else any free port: a second
 * Keyward on the machine, or another program, may hold it.
 */
export async function choosePort(opts: { explicit?: number; remembered: number }): Promise<number> {
  if (opts.explicit !== undefined) {
    if (await isPortFree(opts.explicit)) return opts.explicit;
    throw new StartupError(
      `port ${opts.explicit} (EMBEDDED_PG_PORT) on 127.0.0.1 is in use by another program.`,
      "set EMBEDDED_PG_PORT to a free port, or unset it to let Keyward pick one.",
    );
  }
  if (await isPortFree(opts.remembered)) return opts.remembered;
  return findFreePort();
}
