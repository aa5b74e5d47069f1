// Our own migration runner: Prisma 7's `migrate deploy` needs a native engine we cannot download, and Prisma
// 6.19's WASM engine fails to deploy through the pg adapter (prisma/prisma#27403). It keeps Prisma's folder
// layout, `_prisma_migrations` table, checksums and advisory lock so real `prisma migrate deploy` stays
// interchangeable with it wherever the native engine is available.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { withClient } from "./admin";

/** Prisma Migrate's own advisory lock key, so our runner and `prisma migrate deploy` serialise each other. */
export const MIGRATION_LOCK_KEY = 72707369;

// Verbatim from Prisma's schema engine (postgres flavour), so both tools can share the table.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
}

export interface MigrateOptions {
  migrationsDir?: string;
  log?: (msg: string) => void;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** The app always runs from the repository root (npm scripts, the custom server, the CLI). */
export function defaultMigrationsDir(): string {
  return path.join(process.cwd(), "prisma", "migrations");
}

/** sha256 hex of migration.sql, exactly what Prisma records. */
export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

// Prisma accepts a file whose line endings git converted after it was applied; so do we.
function checksumMatches(sql: string, checksum: string): boolean {
  const variants = [sql, sql.replace(/\r\n/g, "\n"), sql.replace(/\r?\n/g, "\r\n")];
  return variants.some((variant) => migrationChecksum(variant) === checksum);
}

/** Every `<dir>/<name>/migration.sql`, in name order (the timestamp prefix makes that chronological). */
export async function readMigrations(migrationsDir: string = defaultMigrationsDir()): Promise<MigrationFile[]> {
  // Read at run time from the repo (the server runs from its root), not traced into Next's build output.
  const entries = await readdir(/*turbopackIgnore: true*/ migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      const sql = await readFile(/*turbopackIgnore: true*/ file, "utf8").catch((error: unknown) => {
        throw new Error(`Migration folder ${name} has no readable migration.sql (${String(error)})`);
      });
      return { name, sql };
    }),
  );
}

async function readRows(client: pg.Client): Promise<MigrationRow[] | null> {
  const table = await client.query<{ oid: string | null }>(`SELECT to_regclass('_prisma_migrations')::text AS oid`);
  if (!table.rows[0]?.oid) return null;
  const result = await client.query<MigrationRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );
  return result.rows;
}

/** Names of migrations recorded as applied (finished and not rolled back). */
function appliedNames(rows: MigrationRow[]): Set<string> {
  return new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
}

/** Refuses to run on top of a failed migration or an applied migration whose file has since changed. */
function verifyHistory(rows: MigrationRow[], files: MigrationFile[], log: (msg: string) => void): void {
  const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
  if (failed) {
    throw new Error(
      `Migration ${failed.migration_name} failed (or is still running) in this database: _prisma_migrations has ` +
        `its row with finished_at and rolled_back_at both NULL. Repair the database by hand, then set its ` +
        `rolled_back_at (or finished_at) before migrating again.`,
    );
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of rows) {
    if (!row.finished_at || row.rolled_back_at) continue;
    const file = byName.get(row.migration_name);
    if (!file) {
      log(`migration ${row.migration_name} is applied in the database but missing from the migrations folder`);
      continue;
    }
    if (!checksumMatches(file.sql, row.checksum)) {
      throw new Error(
        `Migration ${row.migration_name} was modified after it was applied (checksum in database ` +
          `${row.checksum}, file ${migrationChecksum(file.sql)}). Restore the original migration.sql and put ` +
          `the change in a new migration.`,
      );
    }
  }
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  // One transaction per migration, like Prisma's single implicit transaction per script: a failure leaves
  // neither half-applied DDL nor a row behind, so fixing the file and re-running is always safe.
  await client.query("BEGIN");
  try {
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
      [randomUUID(), migrationChecksum(migration.sql), migration.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error });
  }
}

/** Applies every pending migration; safe to call from several processes at once. */
export async function applyMigrations(
  connectionString: string,
  opts: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => undefined);
  const files = await readMigrations(opts.migrationsDir);
  return withClient(connectionString, async (client) => {
    // A session lock (not a transaction one) because it must span several transactions.
    const quick = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      MIGRATION_LOCK_KEY,
    ]);
    if (!quick.rows[0]?.locked) {
      log("waiting for another process to finish migrating");
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    }
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const rows = (await readRows(client)) ?? [];
      verifyHistory(rows, files, log);
      const done = appliedNames(rows);
      const applied: string[] = [];
      for (const migration of files.filter((f) => !done.has(f.name))) {
        log(`applying migration ${migration.name}`);
        await applyOne(client, migration);
        applied.push(migration.name);
      }
      return { applied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  });
}

/** Which local migrations are applied and which are pending (read-only; no lock, no table creation). */
export async function migrationStatus(
  connectionString: string,
  opts: Pick<MigrateOptions, "migrationsDir"> = {},
): Promise<{ pending: string[]; applied: string[] }> {
  const files = await readMigrations(opts.migrationsDir);
  const rows = await withClient(connectionString, readRows);
  const done = appliedNames(rows ?? []);
  return {
    applied: files.filter((f) => done.has(f.name)).map((f) => f.name),
    pending: files.filter((f) => !done.has(f.name)).map((f) => f.name),
  };
}
