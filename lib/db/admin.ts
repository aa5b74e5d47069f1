// Server-level helpers (create/drop databases, point a URL at another database) shared by the embedded
// server, the migration author script and the integration-test harness.
import pg from "pg";

/** The same server and credentials as `serverUrl`, but connected to `database`. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Opens one connection, runs `fn`, and always closes it. */
export async function withClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  // An idle client whose server goes away emits "error"; without a listener that would crash the process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

// duplicate_database, and unique_violation on pg_database when two sessions race on CREATE DATABASE.
const ALREADY_EXISTS = new Set(["42P04", "23505"]);

/** Creates `name` unless it exists (idempotent and safe against a concurrent creator). */
export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (error) {
      if (!(error instanceof Error && ALREADY_EXISTS.has(String((error as { code?: unknown }).code)))) throw error;
    }
  });
}

/** Drops `name` if it exists, disconnecting its sessions first (PostgreSQL 13+). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

/** A database name that is unique enough for scratch and per-test databases (lower case, < 63 bytes). */
export function scratchDatabaseName(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `${prefix}_${Date.now().toString(36)}_${process.pid}_${random}`;
}
