// A PostgreSQL server for throw-away databases (integration tests, authoring migrations): the server in
// DATABASE_URL when set, otherwise a private embedded one in a temporary directory removed on stop().
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "./embedded";
import { findFreePort } from "./embedded-location";

export interface ScratchServer {
  /** A connection string to a database of the server from which databases can be created and dropped. */
  adminUrl: string;
  /** True when we started an embedded server (and will delete it on stop). */
  embedded: boolean;
  stop(): Promise<void>;
}

/** A temporary directory the OS user `postgres` can traverse (mkdtemp creates it 0700, owned by us). */
export async function makeEmbeddedTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

export async function startScratchServer(opts: { log?: (msg: string) => void } = {}): Promise<ScratchServer> {
  const external = process.env.DATABASE_URL;
  if (external) return { adminUrl: external, embedded: false, stop: async () => undefined };

  const dataDir = await makeEmbeddedTempDir("keyward-pg-");
  try {
    const server = await startEmbeddedPostgres({ dataDir, port: await findFreePort(), log: opts.log });
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= server.stop().finally(() => rm(dataDir, { recursive: true, force: true }));
      return stopping;
    };
    return { adminUrl: server.adminUrl, embedded: true, stop };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
