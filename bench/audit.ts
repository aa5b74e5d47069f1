// npm run bench:audit [-- --events N] — the audit timeline at scale, on a scratch database (embedded
// PostgreSQL, or a fresh database on DATABASE_URL's server): 1,000,000 audit events over 50 teams, one team
// holding 400,000 (and its 20 members' sign-ins). For that team it reports the first page unfiltered, by
// actor, by action group, by date range, the 100th page, and the CSV export's time and peak RSS growth.
// Each query is the app's own listTimeline (wall clock: the database plus the driver's round trip), the
// median of 7 runs after a warm-up. Printed as a table and saved under bench/results/. The npm script runs
// it with the server's own V8 flag (--heap-growing-percent=50, as `npm start`), so the export's RSS is the
// server's: without it V8 lets garbage pile up to ~150 MB before collecting (heap after a GC: ~26 MB).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { createDatabase, databaseUrl, dropDatabase, scratchDatabaseName, withClient } from "@/lib/db/admin";
import { applyMigrations } from "@/lib/db/migrate";
import { startScratchServer } from "@/lib/db/scratch-server";

const argsSchema = z.object({
  events: z.coerce.number().int().min(10_000).default(1_000_000),
  teams: z.coerce.number().int().min(2).default(50),
  bigShare: z.coerce.number().min(0.01).max(0.99).default(0.4),
  /** Keep the seeded database (its URL is printed) to EXPLAIN queries by hand. */
  keep: z.enum(["0", "1"]).default("0"),
});
const rawArgs: Record<string, string> = {};
for (let index = 2; index < process.argv.length; index += 2) {
  const name = process.argv[index]?.replace(/^--/, "");
  const value = process.argv[index + 1];
  if (name && value !== undefined) rawArgs[name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = value;
}
const args = argsSchema.parse(rawArgs);
const RUNS = 7;
const PAGE_LIMIT_MS = 50;
const RSS_LIMIT_MB = 50;
const MEMBERS = 20;

const log = (message: string) =>
  void process.stderr.write(`[bench:audit ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function seed(url: string): Promise<{ bigTeamId: string; actorEmail: string; bigCount: number }> {
  const bigCount = Math.round(args.events * args.bigShare);
  const otherCount = args.events - bigCount;
  return withClient(url, async (client) => {
    // Bulk rows straight into the tables: the chain's head trigger (which insists every team event links to
    // the chain head) is off for this session. The bench reads the timeline; it does not verify chains.
    await client.query("SET session_replication_role = replica");
    // Teams, 20 members each (users with a dummy hash: nobody signs in), created 200 days ago.
    await client.query(`
      INSERT INTO "Team" (id, slug, name, "createdAt", "updatedAt")
      SELECT gen_random_uuid(), 'bench-' || t, 'Bench ' || t, now() - interval '200 days', now()
        FROM generate_series(1, ${args.teams}) t`);
    await client.query(`
      INSERT INTO "User" (id, email, name, "passwordHash", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), 'user-' || t || '-' || u || '@bench.test', 'User ' || t || '.' || u, 'x',
             now() - interval '200 days', now()
        FROM generate_series(1, ${args.teams}) t, generate_series(1, ${MEMBERS}) u`);
    await client.query(`
      INSERT INTO "Membership" (id, "teamId", "userId", role, "createdAt")
      SELECT gen_random_uuid(), tm.id, us.id, 'member', now() - interval '200 days'
        FROM "Team" tm JOIN "User" us ON us.email LIKE 'user-' || substr(tm.slug, 7) || '-%@bench.test'`);
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM "Team" WHERE slug = 'bench-1'`);
    const bigTeamId = rows[0]?.id ?? "";
    // Events: the big team's spread over 180 days, the others' over the same span; actors are the team's
    // members, actions a realistic mix (mostly keys and sign-in related, some members, vault and policy).
    const insertEvents = async (teamFilter: string, perTeam: number) => {
      await client.query(`
        WITH actions(n, action) AS (
          SELECT row_number() OVER () - 1, a FROM unnest(ARRAY[
            'api_key.create','api_key.update','api_key.revoke','api_key.create','api_key.update',
            'invite.create','invite.accept','member.role_change','upstream_key.create','upstream_key.disable',
            'team.key_policy_update','audit.export']) a),
        members AS (
          SELECT m."teamId", u.id, u.email, row_number() OVER (PARTITION BY m."teamId" ORDER BY u.email) - 1 AS n
            FROM "Membership" m JOIN "User" u ON u.id = m."userId"),
        teams AS (SELECT id FROM "Team" WHERE ${teamFilter})
        INSERT INTO "AuditEvent" (id, "teamId", "actorType", "actorId", "actorLabel", action, targets, metadata,
                                  ip, "userAgent", "createdAt")
        SELECT gen_random_uuid(), t.id, 'user', m.id, m.email, a.action,
               jsonb_build_array(jsonb_build_object('type', 'api_key', 'id', gen_random_uuid(),
                                                    'label', 'key ' || (i % 5000))),
               jsonb_build_object('scopes', jsonb_build_object('endpoints', jsonb_build_object('chat', 'write'))),
               '10.' || (i % 200) || '.' || (i % 250) || '.' || (i % 7 + 1), 'bench-agent/1.0',
               now() - (i * (interval '180 days' / ${perTeam}))
          FROM teams t CROSS JOIN generate_series(1, ${perTeam}) i
          JOIN actions a ON a.n = i % 12
          JOIN members m ON m."teamId" = t.id AND m.n = (i * 7) % ${MEMBERS}`);
    };
    log(`seeding ${bigCount} events in the big team`);
    await insertEvents(`slug = 'bench-1'`, bigCount);
    const perOther = Math.floor(otherCount / (args.teams - 1));
    log(`seeding ${perOther} events in each of ${args.teams - 1} other teams`);
    await insertEvents(`slug <> 'bench-1'`, perOther);
    log("seeding the big team's sign-ins (500 per member)");
    await client.query(
      `
      INSERT INTO "SignInEvent" (id, "userId", kind, ip, "userAgent", "createdAt")
      SELECT gen_random_uuid(), m."userId", CASE WHEN i % 10 = 0 THEN 'wrong_password' ELSE 'success' END::"SignInEventKind",
             '192.0.2.' || (i % 250 + 1), 'bench-browser', now() - (i * interval '8 hours')
        FROM "Membership" m, generate_series(1, 500) i WHERE m."teamId" = $1`,
      [bigTeamId],
    );
    await client.query("ANALYZE");
    const actor = await client.query<{ email: string }>(
      `SELECT u.email FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."teamId" = $1 ORDER BY u.email LIMIT 1`,
      [bigTeamId],
    );
    return { bigTeamId, actorEmail: actor.rows[0]?.email ?? "", bigCount };
  });
}

async function main(): Promise<void> {
  const scratch = await startScratchServer({ log });
  const name = scratchDatabaseName("keyward_bench_audit");
  await createDatabase(scratch.adminUrl, name);
  const url = databaseUrl(scratch.adminUrl, name);
  try {
    await applyMigrations(url);
    const started = Date.now();
    const { bigTeamId, actorEmail, bigCount } = await seed(url);
    log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    process.env.DATABASE_URL = url;
    const { listTimeline } = await import("@/lib/audit/timeline");
    const { exportLines } = await import("@/lib/audit/export");
    const { auditFiltersSchema } = await import("@/lib/audit/filters");
    const { disconnectDb } = await import("@/lib/db/client");
    const ctx = { team: { id: bigTeamId, slug: "bench-1", name: "Bench 1" } };

    const timed = async (fn: () => Promise<{ items: unknown[] }>) => {
      const first = await fn(); // warm-up: plans and caches, as a server that has served before
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const start = performance.now();
        await fn();
        times.push(performance.now() - start);
      }
      return { ms: median(times), rows: first.items.length };
    };
    const monthAgo = new Date(Date.now() - 30 * 86_400_000);
    const filters = (raw: Record<string, string>) => auditFiltersSchema.parse(raw);
    const cases: [string, Record<string, string>][] = [
      ["first page, unfiltered", {}],
      [`first page, actor "${actorEmail}"`, { actor: actorEmail }],
      ["first page, action group keys", { group: "keys" }],
      ["first page, action group members", { group: "members" }],
      ["first page, action group sign-ins", { group: "sign_ins" }],
      [
        "first page, one week a month ago",
        { from: new Date(monthAgo.getTime() - 7 * 86_400_000).toISOString(), to: monthAgo.toISOString() },
      ],
      ["first page, IP range 10.7.0.0/16", { ip: "10.7.0.0/16" }],
    ];
    const results: { name: string; ms: number; rows: number; ok: boolean }[] = [];
    for (const [label, raw] of cases) {
      const result = await timed(() => listTimeline(ctx, { filters: filters(raw), limit: 50 }));
      results.push({ name: label, ...result, ok: result.ms <= PAGE_LIMIT_MS });
      log(`${label}: ${result.ms.toFixed(1)} ms (${result.rows} rows)`);
    }
    // The 100th page: walk 99 pages as a reader would, then time the 100th from its cursor.
    let cursor: string | undefined;
    for (let index = 1; index < 100; index++) {
      const page = await listTimeline(ctx, { cursor, limit: 50 });
      cursor = page.olderCursor ?? undefined;
    }
    const hundredth = await timed(() => listTimeline(ctx, { cursor, limit: 50 }));
    results.push({ name: "100th page, unfiltered", ...hundredth, ok: hundredth.ms <= PAGE_LIMIT_MS });

    // The CSV export of the whole team: time and peak RSS growth (sampled every 20 ms) over the baseline.
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const exportStart = performance.now();
    let bytes = 0;
    let lines = 0;
    for await (const chunk of exportLines(ctx, {}, "csv")) {
      bytes += Buffer.byteLength(chunk);
      for (let at = chunk.indexOf("\n"); at !== -1; at = chunk.indexOf("\n", at + 1)) lines++;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const exportMs = performance.now() - exportStart;
    clearInterval(sampler);
    const growthMb = (peak - baseline) / 1024 / 1024;
    await disconnectDb();

    const table = [
      `# bench:audit — ${new Date().toISOString()}`,
      "",
      `${args.events.toLocaleString("en")} audit events over ${args.teams} teams; the measured team holds ${bigCount.toLocaleString("en")} (+ ${MEMBERS * 500} sign-ins). Median of ${RUNS} runs, listTimeline wall clock.`,
      "",
      "| query | median ms | rows | ≤ 50 ms |",
      "| --- | ---: | ---: | --- |",
      ...results.map((r) => `| ${r.name} | ${r.ms.toFixed(1)} | ${r.rows} | ${r.ok ? "yes" : "NO"} |`),
      "",
      `CSV export of the team: ${lines.toLocaleString("en")} lines, ${(bytes / 1024 / 1024).toFixed(0)} MB in ${(exportMs / 1000).toFixed(1)} s; peak RSS growth ${growthMb.toFixed(1)} MB (limit ${RSS_LIMIT_MB} MB: ${growthMb < RSS_LIMIT_MB ? "yes" : "NO"}).`,
      "",
    ].join("\n");
    process.stdout.write(table);
    const dir = path.join(process.cwd(), "bench", "results");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `audit-${new Date().toISOString().replace(/[:.]/g, "-")}.md`), table);
  } finally {
    if (args.keep === "1" && !scratch.embedded) log(`kept the database: ${url}`);
    else {
      await dropDatabase(scratch.adminUrl, name).catch(() => undefined);
      await scratch.stop();
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:audit failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
