import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDatabase, databaseUrl, dropDatabase, scratchDatabaseName, withClient } from "./admin";
import { applyMigrations, migrationStatus } from "./migrate";

const adminUrl = inject("databaseAdminUrl");
const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
const TABLES = ["User", "UserSession", "Team", "Membership", "Invite", "AuditEvent"];

const created: string[] = [];
afterAll(async () => {
  for (const name of created) await dropDatabase(adminUrl, name);
});

async function emptyDatabase(): Promise<string> {
  const name = scratchDatabaseName("keyward_migrate");
  created.push(name);
  await createDatabase(adminUrl, name);
  return databaseUrl(adminUrl, name);
}

/** The migrations on disk with their checksums, computed here independently of the runner. */
async function localMigrations(): Promise<{ name: string; checksum: string }[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"));
      return { name, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

function query<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  return withClient(url, async (client) => (await client.query(sql, values)).rows as T[]);
}

type MigrateProcess = {
  /** Resolves once the process has loaded (or has exited early). */
  ready: Promise<void>;
  /** Lets it apply the migrations. */
  go(): void;
  result: Promise<{ code: number | null; out: string; err: string }>;
};

function migrateInAnotherProcess(url: string): MigrateProcess {
  const script = path.join(process.cwd(), "lib", "db", "testing", "migrate-process.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script, url], { cwd: process.cwd() });
  let out = "";
  let err = "";
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith("ready\n")) markReady();
  });
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  child.stdin.on("error", () => undefined); // a process that died early: its result says why
  const result = new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      markReady();
      resolve({ code, out, err });
    });
  });
  return { ready, go: () => child.stdin.end("go\n"), result };
}

describe("applyMigrations", () => {
  it("brings an empty database to the current schema and records Prisma-compatible rows", async () => {
    const url = await emptyDatabase();
    const local = await localMigrations();
    expect(local.length).toBeGreaterThanOrEqual(2);
    expect(await migrationStatus(url)).toEqual({ applied: [], pending: local.map((m) => m.name) });

    expect(await applyMigrations(url)).toEqual({ applied: local.map((m) => m.name) });

    const tables = await query<{ name: string }>(
      url,
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining([...TABLES, "_prisma_migrations"]));
    const rows = await query<Record<string, unknown>>(
      url,
      `SELECT migration_name AS name, checksum, finished_at >= started_at AS finished,
              rolled_back_at IS NULL AS not_rolled_back, applied_steps_count AS steps, logs, length(id) AS id_length
       FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows).toEqual(
      local.map((m) => ({ ...m, finished: true, not_rolled_back: true, steps: 1, logs: null, id_length: 36 })),
    );

    expect(await applyMigrations(url)).toEqual({ applied: [] });
    expect(await migrationStatus(url)).toEqual({ applied: local.map((m) => m.name), pending: [] });
    const [count] = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(count?.n).toBe(local.length);
  });

  it("applies each migration exactly once when two processes start at the same moment", async () => {
    const url = await emptyDatabase();
    const local = await localMigrations();
    // Both are let go at once, when both have loaded: an event, not an instant chosen in advance.
    const processes = [migrateInAnotherProcess(url), migrateInAnotherProcess(url)];
    await Promise.all(processes.map((p) => p.ready));
    for (const p of processes) p.go();
    const results = await Promise.all(processes.map((p) => p.result));

    for (const result of results) expect(result.code, result.err).toBe(0);
    const appliedByEach = results.map((r) => JSON.parse(r.out.trim().split("\n").at(-1) ?? "null") as string[]);
    expect(appliedByEach.flat().sort()).toEqual(local.map((m) => m.name));
    const counts = await query<{ name: string; n: number }>(
      url,
      `SELECT migration_name AS name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY 1 ORDER BY 1`,
    );
    expect(counts).toEqual(local.map((m) => ({ name: m.name, n: 1 })));
  });

  it("refuses an applied migration whose file no longer matches its checksum", async () => {
    const url = await emptyDatabase();
    await applyMigrations(url);
    const [first] = await localMigrations();
    await query(url, `UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = $1`, [
      first?.name,
    ]);
    await expect(applyMigrations(url)).rejects.toThrow(`Migration ${first?.name} was modified after it was applied`);
  });

  it("accepts a checksum taken before git changed the file's line endings", async () => {
    const url = await emptyDatabase();
    await applyMigrations(url);
    const [first] = await localMigrations();
    const sql = await readFile(path.join(MIGRATIONS_DIR, first?.name ?? "", "migration.sql"), "utf8");
    const crlf = createHash("sha256").update(sql.replace(/\n/g, "\r\n")).digest("hex");
    await query(url, `UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, [crlf, first?.name]);
    expect(await applyMigrations(url)).toEqual({ applied: [] });
  });

  it("refuses to run over a failed migration", async () => {
    const url = await emptyDatabase();
    await applyMigrations(url);
    await query(
      url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at)
       VALUES (gen_random_uuid()::text, repeat('a', 64), '29990101000000_half_done', now())`,
    );
    await expect(applyMigrations(url)).rejects.toThrow("Migration 29990101000000_half_done failed");
  });

  it("rolls a failing migration back entirely and records nothing", async () => {
    const url = await emptyDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "keyward-migrations-"));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await mkdir(path.join(dir, "29990101000000_broken"));
      const broken = `CREATE TABLE "Half" (id int);\nSELECT 1 / 0;\n`;
      await writeFile(path.join(dir, "29990101000000_broken", "migration.sql"), broken);

      await expect(applyMigrations(url, { migrationsDir: dir })).rejects.toThrow(
        "Migration 29990101000000_broken failed and was rolled back: division by zero",
      );
      const [half] = await query<{ oid: string | null }>(url, `SELECT to_regclass('"Half"')::text AS oid`);
      expect(half?.oid).toBeNull();
      const names = await query<{ name: string }>(url, `SELECT migration_name AS name FROM "_prisma_migrations"`);
      expect(names.map((n) => n.name)).not.toContain("29990101000000_broken");
      expect(names).toHaveLength((await localMigrations()).length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("audit_append_only migration", () => {
  it("makes the database refuse UPDATE, DELETE and TRUNCATE of AuditEvent", async () => {
    // The per-file database from setup-file.ts, migrated like production.
    const url = process.env.DATABASE_URL ?? "";
    await query(url, `INSERT INTO "AuditEvent" (id, "actorType", action) VALUES (gen_random_uuid(), 'user', 'x.y')`);
    for (const sql of [`UPDATE "AuditEvent" SET action = 'z'`, `DELETE FROM "AuditEvent"`, `TRUNCATE "AuditEvent"`]) {
      await expect(query(url, sql), sql).rejects.toThrow('"AuditEvent" is append-only');
    }
    const rows = await query<{ action: string }>(url, `SELECT action FROM "AuditEvent"`);
    expect(rows).toEqual([{ action: "x.y" }]);
  });
});
