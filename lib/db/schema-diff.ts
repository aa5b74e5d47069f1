// Migration SQL from Prisma 6.19's offline WASM schema engine (`migrate diff`), because every `migrate`
// command of Prisma 7 needs a native engine we cannot download. See lib/db/schema-engine.config.ts.
//
// Which `migrate diff` sources work through the adapter (verified with prisma 6.19.3, adapter-pg 7.10):
//   --from-empty, --from-schema-datamodel, --to-schema-datamodel: yes.
//   --from-migrations: yes, with the "char" fix in schema-engine.config.ts. adapter-pg's shadow database
//     ignores its own database name when the config has a connectionString, so the migrations are applied
//     to DATABASE_URL's database itself: it must be a fresh, empty, throw-away one (we create it per call).
//   --from-url, --from-schema-datasource, --shadow-database-url: refused by the CLI when an adapter is set.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabase, databaseUrl, dropDatabase, scratchDatabaseName } from "./admin";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PRISMA_619_CLI = path.join(REPO_ROOT, "node_modules", "prisma619", "build", "index.js");
const ENGINE_CONFIG = path.join(REPO_ROOT, "lib", "db", "schema-engine.config.ts");

export type DiffSource = { kind: "empty" } | { kind: "migrations"; dir: string } | { kind: "schema"; path: string };

export interface DiffOptions {
  /** Any database on a server where we may CREATE DATABASE; a scratch database is made there per call. */
  serverUrl: string;
}

/**
 * Prisma 7 schemas carry no datasource url and use the `prisma-client` generator (with options 6.19 may
 * not know); Prisma 6.19 wants a url (any value: the adapter does the connecting). Generators are reduced
 * to `prisma-client-js` plus their previewFeatures, which can change what the engine migrates.
 */
export function toPrisma6Schema(schema: string): string {
  const generators = schema.replace(/^generator\s+(\w+)\s*\{([^}]*)\}/gm, (_block, name: string, body: string) => {
    const preview = /^\s*previewFeatures\s*=.*$/m.exec(body)?.[0].trim();
    return `generator ${name} {\n  provider = "prisma-client-js"\n${preview ? `  ${preview}\n` : ""}}`;
  });
  return generators.replace(/^(datasource\s+\w+\s*\{)([^}]*)\}/m, (block, open: string, body: string) =>
    /^\s*url\s*=/m.test(body) ? block : `${open}${body}  url = env("DATABASE_URL")\n}`,
  );
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") return reject(error);
      resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
    });
  });
}

async function sourceFlags(side: "from" | "to", source: DiffSource, workDir: string): Promise<string[]> {
  if (source.kind === "empty") return [`--${side}-empty`];
  if (source.kind === "migrations") return [`--${side}-migrations`, path.resolve(source.dir)];
  const copy = path.join(workDir, `${side}.prisma`);
  await writeFile(copy, toPrisma6Schema(await readFile(source.path, "utf8")));
  return [`--${side}-schema-datamodel`, copy];
}

/**
 * The SQL script that turns `from` into `to`, or null when they are equal. Needs a reachable server: the
 * engine connects even for a diff between two datamodels.
 */
export async function diffToSql(from: DiffSource, to: DiffSource, opts: DiffOptions): Promise<string | null> {
  const workDir = await mkdtemp(path.join(tmpdir(), "keyward-schema-diff-"));
  const scratch = scratchDatabaseName("keyward_diff");
  await createDatabase(opts.serverUrl, scratch);
  try {
    const args = [
      PRISMA_619_CLI,
      "migrate",
      "diff",
      "--config",
      ENGINE_CONFIG,
      ...(await sourceFlags("from", from, workDir)),
      ...(await sourceFlags("to", to, workDir)),
      "--script",
      "--exit-code",
    ];
    const result = await run(args, {
      ...process.env,
      DATABASE_URL: databaseUrl(opts.serverUrl, scratch),
      // Prisma only checks that these files exist before falling back to WASM; they are never executed.
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    });
    // --exit-code: 0 = no difference, 2 = difference (script on stdout), anything else = failure.
    if (result.code === 0) return null;
    if (result.code === 2) return result.stdout;
    throw new Error(`prisma 6.19 migrate diff failed (exit ${result.code}):\n${result.stderr}${result.stdout}`);
  } finally {
    await dropDatabase(opts.serverUrl, scratch).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  }
}
