// Drift detection for the integration tests: compares what the migrations build with what
// prisma/schema.prisma describes, through PostgreSQL's catalogs. Triggers, functions and
// `_prisma_migrations` are ignored (the schema cannot express the first two; the runner adds the third).
import { createDatabase, databaseUrl, dropDatabase, scratchDatabaseName, withClient } from "../admin";
import { diffToSql } from "../schema-diff";

export type SchemaSnapshot = Record<
  "relations" | "columns" | "indexes" | "constraints" | "enums" | "extensions",
  string[]
>;

const IGNORED = "'_prisma_migrations'";

// Each query returns one text line per object; lines are compared as sets, so column order (which differs
// between CREATE TABLE and a later ADD COLUMN) does not matter.
const QUERIES: Record<keyof SchemaSnapshot, string> = {
  relations: `SELECT c.relkind::text || ' ' || c.relname AS line FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relname <> ${IGNORED}`,
  columns: `SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
      || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END
      || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
      || CASE WHEN a.attidentity <> '' THEN ' IDENTITY ' || a.attidentity::text ELSE '' END
      || CASE WHEN a.attgenerated <> '' THEN ' GENERATED ' || a.attgenerated::text ELSE '' END AS line
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
      AND c.relname <> ${IGNORED}`,
  indexes: `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> ${IGNORED}`,
  // contype 'n' (PostgreSQL 18's NOT NULL constraints) repeats what `columns` already says.
  constraints: `SELECT c.relname || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
      || CASE WHEN co.condeferrable THEN ' DEFERRABLE' ELSE '' END
      || CASE WHEN co.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END AS line
    FROM pg_constraint co
    JOIN pg_class c ON c.oid = co.conrelid
    JOIN pg_namespace n ON n.oid = co.connamespace
    WHERE n.nspname = 'public' AND co.contype <> 'n' AND c.relname <> ${IGNORED}`,
  enums: `SELECT t.typname || ' (' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) || ')' AS line
    FROM pg_type t
    JOIN pg_enum e ON e.enumtypid = t.oid
    JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public'
    GROUP BY t.typname`,
  extensions: `SELECT extname AS line FROM pg_extension WHERE extname <> 'plpgsql'`,
};

export async function snapshotSchema(connectionString: string): Promise<SchemaSnapshot> {
  return withClient(connectionString, async (client) => {
    const snapshot = {} as SchemaSnapshot;
    for (const [key, sql] of Object.entries(QUERIES) as [keyof SchemaSnapshot, string][]) {
      const result = await client.query<{ line: string }>(sql);
      snapshot[key] = result.rows.map((row) => row.line).sort();
    }
    return snapshot;
  });
}

/** Human-readable differences, empty when both databases have the same structure. */
export function compareSnapshots(migrated: SchemaSnapshot, fromSchema: SchemaSnapshot): string[] {
  const differences: string[] = [];
  for (const key of Object.keys(QUERIES) as (keyof SchemaSnapshot)[]) {
    const expected = new Set(fromSchema[key]);
    const actual = new Set(migrated[key]);
    for (const line of migrated[key]) if (!expected.has(line)) differences.push(`${key}: only migrations have ${line}`);
    for (const line of fromSchema[key]) if (!actual.has(line)) differences.push(`${key}: only the schema has ${line}`);
  }
  return differences;
}

/**
 * Builds a database from `schemaPath` alone (Prisma's diff from empty), and compares it with the database
 * at `migratedUrl`, which the migrations built. Scratch databases go on the server of `serverUrl`.
 */
export async function schemaDrift(opts: {
  migratedUrl: string;
  schemaPath: string;
  serverUrl: string;
}): Promise<string[]> {
  const sql = await diffToSql(
    { kind: "empty" },
    { kind: "schema", path: opts.schemaPath },
    { serverUrl: opts.serverUrl },
  );
  const name = scratchDatabaseName("keyward_drift");
  await createDatabase(opts.serverUrl, name);
  try {
    const url = databaseUrl(opts.serverUrl, name);
    if (sql) await withClient(url, (client) => client.query(sql));
    return compareSnapshots(await snapshotSchema(opts.migratedUrl), await snapshotSchema(url));
  } finally {
    await dropDatabase(opts.serverUrl, name);
  }
}
