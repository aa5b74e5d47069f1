// `npm run bench:audit-chain`: what the audit hash chain costs a member key creation (the real createKey
// path: membership and policy checks, the key row, recordAudit). Interleaved rounds of chain on and chain
// off (lib/audit/chain.ts setChainForBenchmark) in a scratch database; reports both p50s and the difference.
// Uses DATABASE_URL's server, or a temporary embedded one.
import { randomBytes } from "node:crypto";
import { createDatabase, databaseUrl, dropDatabase, scratchDatabaseName } from "@/lib/db/admin";
import { applyMigrations } from "@/lib/db/migrate";
import { startScratchServer } from "@/lib/db/scratch-server";

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const PER_ROUND = Number(process.env.PER_ROUND ?? 50);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(3)} ms`;

const server = await startScratchServer();
const name = scratchDatabaseName("keyward_bench_chain");
await createDatabase(server.adminUrl, name);
const url = databaseUrl(server.adminUrl, name);
try {
  await applyMigrations(url);
  process.env.DATABASE_URL = url;
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64");
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  process.env.LOG_LEVEL ??= "warn";
  const { setChainForBenchmark } = await import("@/lib/audit/chain");
  const { db, disconnectDb } = await import("@/lib/db/client");
  const { createKey } = await import("@/lib/keys/store");
  const { contextIn, seedUser } = await import("@/lib/testing/seed");
  // "Off" is no chain machinery at all: no head lock, no hash, and the trigger that moves the head on (and
  // refuses unchained team events) disabled — in this scratch database only.
  const setChain = async (on: boolean) => {
    await db().$executeRawUnsafe(
      `ALTER TABLE "AuditEvent" ${on ? "ENABLE" : "DISABLE"} TRIGGER "AuditEvent_chain_advance"`,
    );
    setChainForBenchmark(on);
  };

  const owner = await seedUser("bench-chain");
  const ctx = await contextIn(owner, owner.team, "api_keys.own");
  const create = async () => {
    const start = performance.now();
    await createKey(ctx, { name: "bench", scopes: { endpoints: { chat: "write" } } });
    return performance.now() - start;
  };
  const samples = { on: [] as number[], off: [] as number[] };
  const roundDiffs: number[] = [];
  for (const on of [true, false]) {
    await setChain(on);
    for (let i = 0; i < PER_ROUND; i += 1) await create(); // warm-up, not counted
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    // Alternate which variant goes first, so a drift in the machine's load falls on both alike.
    const order = round % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const);
    const p50s: Record<string, number> = {};
    for (const variant of order) {
      await setChain(variant === "on");
      const times: number[] = [];
      for (let i = 0; i < PER_ROUND; i += 1) times.push(await create());
      samples[variant].push(...times);
      p50s[variant] = percentile(times, 50);
    }
    roundDiffs.push(p50s.on! - p50s.off!);
  }
  await setChain(true);
  const on = percentile(samples.on, 50);
  const off = percentile(samples.off, 50);
  process.stdout.write(
    [
      `# Audit chain cost per member key creation (createKey), ${ROUNDS} interleaved rounds × ${PER_ROUND} per variant`,
      `PostgreSQL: ${server.embedded ? "embedded" : "DATABASE_URL's server"}, Node ${process.version}`,
      `p50 chain on : ${ms(on)}   (p90 ${ms(percentile(samples.on, 90))})`,
      `p50 chain off: ${ms(off)}   (p90 ${ms(percentile(samples.off, 90))})`,
      `difference at p50: ${ms(on - off)} (median of per-round differences: ${ms(percentile(roundDiffs, 50))})`,
      "",
    ].join("\n"),
  );
  await disconnectDb();
} finally {
  await dropDatabase(server.adminUrl, name);
  await server.stop();
}
