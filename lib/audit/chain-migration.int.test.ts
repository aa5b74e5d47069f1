// The audit_chain migration on a database that already has audit events: each team's events are numbered
// 1…n in (createdAt, id) order, unhashed, with the head at n (legacyThrough n), so verification passes on
// them; user-level events stay unnumbered; the append-only trigger is back on afterwards.
import { randomUUID } from "node:crypto";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, inject, it } from "vitest";
import { createDatabase, databaseUrl, dropDatabase, scratchDatabaseName, withClient } from "@/lib/db/admin";
import { applyMigrations } from "@/lib/db/migrate";

const adminUrl = inject("databaseAdminUrl");
const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
const name = scratchDatabaseName("keyward_chain_migration");
afterAll(() => dropDatabase(adminUrl, name));

const query = <T>(url: string, sql: string, values: unknown[] = []) =>
  withClient(url, async (client) => (await client.query(sql, values)).rows as T[]);

it("numbers the events already there per team and puts each team's head after them", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "keyward-chain-migration-"));
  try {
    const all = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const chain = all.find((migration) => migration.endsWith("_audit_chain"));
    expect(chain).toBeDefined();
    for (const migration of all.filter((m) => m < chain!))
      await cp(path.join(MIGRATIONS_DIR, migration), path.join(dir, migration), { recursive: true });
    await createDatabase(adminUrl, name);
    const url = databaseUrl(adminUrl, name);
    await applyMigrations(url, { migrationsDir: dir });

    const [a, b] = [randomUUID(), randomUUID()];
    const rows: [string | null, string][] = [
      [a, "2026-01-03"],
      [b, "2026-01-01"],
      [a, "2026-01-01"],
      [null, "2026-01-02"],
      [a, "2026-01-02"],
    ];
    for (const [teamId, at] of rows)
      await query(
        url,
        `INSERT INTO "AuditEvent" (id, "teamId", "actorType", action, "createdAt") VALUES (gen_random_uuid(), $1, 'system', 'team.rename', $2)`,
        [teamId, at],
      );
    await applyMigrations(url);

    const events = await query<{ teamId: string | null; seq: number | null; day: string; hash: string | null }>(
      url,
      `SELECT "teamId", seq, to_char("createdAt", 'YYYY-MM-DD') AS day, hash FROM "AuditEvent" ORDER BY "teamId", seq`,
    );
    expect(events.filter((e) => e.teamId === a).map((e) => [e.seq, e.day])).toEqual([
      [1, "2026-01-01"],
      [2, "2026-01-02"],
      [3, "2026-01-03"],
    ]);
    expect(events.filter((e) => e.teamId === b).map((e) => e.seq)).toEqual([1]);
    expect(events.find((e) => e.teamId === null)?.seq).toBeNull();
    expect(events.every((e) => e.hash === null)).toBe(true);
    const heads = await query<{ teamId: string; seq: number; legacyThrough: number; hash: string | null }>(
      url,
      `SELECT "teamId", seq, "legacyThrough", hash FROM "AuditChainHead" ORDER BY seq DESC`,
    );
    expect(heads).toEqual([
      { teamId: a, seq: 3, legacyThrough: 3, hash: null },
      { teamId: b, seq: 1, legacyThrough: 1, hash: null },
    ]);
    await expect(query(url, `DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
