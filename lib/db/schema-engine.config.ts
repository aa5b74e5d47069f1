// Prisma 6.19 CLI config (dev dependency `prisma619`), used only by lib/db/schema-diff.ts to run
// `migrate diff` offline: its schema engine is WASM and reaches PostgreSQL through @prisma/adapter-pg, so
// nothing native has to be downloaded. Prisma 7's own CLI uses prisma.config.ts at the repo root.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma619/config";

// Two incompatibilities between Prisma 6.19's schema engine and what it reads through adapter-pg 7.10:
// - PostgreSQL's one-byte "char" type (pg_constraint.contype, pg_class.relkind, ...) has no mapping in the
//   adapter, so every catalog query fails with "Column type 'char' could not be deserialized" (the bug
//   behind prisma/prisma#27403). Its text form is exactly what the engine expects.
// - PostgreSQL 18 (our embedded server) records NOT NULL as pg_constraint rows with contype 'n'; the engine's
//   check-constraint query (`contype NOT IN ('p', 'u', 'f')`) returns them and the WASM engine aborts
//   ("RuntimeError: unreachable"). Nullability is read from the columns, so those rows carry nothing new.
const CHAR_OID = 18;
const TEXT_OID = 25;

interface RawResult {
  fields?: { name: string; dataTypeID: number }[];
  rows?: unknown[];
}

function adaptResult(result: unknown): unknown {
  const raw = result as RawResult | null | undefined;
  const fields = raw?.fields ?? [];
  for (const field of fields) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  const typeColumn = fields.findIndex((field) => field.name === "constraint_type");
  if (raw?.rows && typeColumn >= 0 && fields.some((field) => field.name === "constraint_definition")) {
    raw.rows = raw.rows.filter((row) => {
      const type = Array.isArray(row) ? row[typeColumn] : (row as Record<string, unknown>).constraint_type;
      return type !== "n";
    });
  }
  return result;
}

/**
 * A pg client whose results are adapted as above. A subclass (not a pool "connect" hook) because the
 * adapter builds its shadow-database pool from this pool's options, which carry the Client class along.
 */
class CharAsTextClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    Object.assign(this, {
      query: (...args: unknown[]): unknown => {
        // pg-pool calls `client.query(config, values, callback)`; transactions use the promise form.
        const last = args.length - 1;
        const callback = args[last];
        if (typeof callback === "function") {
          args[last] = (error: unknown, result: unknown) => callback(error, error ? result : adaptResult(result));
        }
        const returned = query(...args);
        return returned instanceof Promise ? returned.then(adaptResult) : returned;
      },
    });
  }
}

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error("schema-engine.config.ts needs DATABASE_URL (set by lib/db/schema-diff.ts)");

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () =>
    new PrismaPg(
      // allowExitOnIdle: otherwise the CLI lingers 10 s (the pool's idle timeout) after printing its answer.
      new pg.Pool({ connectionString, allowExitOnIdle: true, Client: CharAsTextClient }),
    ),
});
