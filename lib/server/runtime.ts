// Everything the app needs before it serves: configuration, secrets, the database, migrations.
// Shared by the web server (server.ts) and the operator CLI.
import { assertKeyringCoversStoredSecrets } from "@/lib/crypto/encrypted-columns";
import { appKeyring } from "@/lib/crypto/keyring";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { env, parseEnv, type Env } from "@/lib/env";
import { prepareDataDir } from "@/lib/server/data-dir";
import { loadOrCreateLocalSecrets } from "@/lib/server/secrets";

export type Runtime = { env: Env; embedded: boolean; stop(): Promise<void> };

/** `log` for progress; `notice` for the few things an operator must see whatever the log level. */
export type RuntimeLog = {
  log: (message: string) => void;
  notice: (message: string) => void;
  debug?: (message: string) => void;
};

export async function prepareRuntime({ log, notice, debug }: RuntimeLog): Promise<Runtime> {
  const dataDir = process.env.DATA_DIR || ".data";
  const embedded = !process.env.DATABASE_URL;
  if (embedded) loadOrCreateLocalSecrets(prepareDataDir(dataDir), notice);
  // Fails fast, naming every missing or invalid variable, before anything is started or changed.
  const config = parseEnv(process.env);
  let stop = async () => {};
  if (embedded) {
    const pg = await startEmbeddedPostgres({
      dataDir,
      port: config.EMBEDDED_PG_PORT,
      warn: notice,
      log,
      output: debug ?? (() => undefined),
    });
    process.env.DATABASE_URL = pg.url;
    stop = () => pg.stop();
    log(
      pg.owned
        ? "Embedded PostgreSQL started."
        : "Using the embedded PostgreSQL already running for this data directory.",
    );
  }
  const databaseUrl = process.env.DATABASE_URL ?? "";
  try {
    // Before migrating, so a refusal changes nothing: stored secrets under a key we lack would fail on use.
    await assertKeyringCoversStoredSecrets(databaseUrl, appKeyring());
    const { applied } = await applyMigrations(databaseUrl, { log });
    if (applied.length > 0) log(`Applied migrations: ${applied.join(", ")}`);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { env: env(), embedded, stop };
}
