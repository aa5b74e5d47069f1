import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { schemaDrift } from "./testing/schema-snapshot";

const serverUrl = inject("databaseAdminUrl");
const SCHEMA = path.join(process.cwd(), "prisma", "schema.prisma");

describe("prisma/migrations against prisma/schema.prisma", () => {
  it("the migrations build exactly what the schema describes", async () => {
    // setup-file.ts built this file's database with our runner from prisma/migrations.
    const drift = await schemaDrift({ migratedUrl: process.env.DATABASE_URL ?? "", schemaPath: SCHEMA, serverUrl });
    expect(drift, "the schema changed without a migration: run `npm run db:migration -- <name>`").toEqual([]);
  });

  it("reports a schema change that has no migration", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "keyward-drift-"));
    try {
      const changed = path.join(dir, "schema.prisma");
      const schema = await readFile(SCHEMA, "utf8");
      const withProbe = schema.replace(/^model Team \{$/m, "model Team {\n  driftProbe String?");
      expect(withProbe).not.toBe(schema);
      await writeFile(changed, withProbe);

      const drift = await schemaDrift({ migratedUrl: process.env.DATABASE_URL ?? "", schemaPath: changed, serverUrl });
      expect(drift).toEqual(["columns: only the schema has Team.driftProbe text NULL"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
