// Key rotation as an operator runs it: the real `keyward migrate-keys` CLI over 10,000 stored secrets, a
// kill -9 half-way and a resumed run, dry runs and refusals, and start-up refusing a key version it lacks.
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase, databaseUrl, dropDatabase, scratchDatabaseName, withClient } from "@/lib/db/admin";
import { applyMigrations } from "@/lib/db/migrate";
import { runToExit } from "@/lib/testing/app-process";
import { decryptSecret, encryptSecret, type SecretBinding } from "./cipher";
import { keyringFromEnv, type Keyring } from "./keyring";

const ROWS = 10_000;
const TEAMS = 100;
const key1 = randomBytes(32).toString("base64");
const key2 = randomBytes(32).toString("base64");
const onlyKey1 = keyringFromEnv({ ENCRYPTION_KEY: key1 });
const onlyKey2 = keyringFromEnv({ ENCRYPTION_KEY: key2, ENCRYPTION_KEY_VERSION: "2" });
const bothKeys = keyringFromEnv({
  ENCRYPTION_KEY: key2,
  ENCRYPTION_KEY_VERSION: "2",
  ENCRYPTION_KEY_PREVIOUS: `1:${key1}`,
});
const url = process.env.DATABASE_URL ?? "";
const CLI = path.resolve("bin/keyward.mjs");

type Secret = { id: string; teamId: string; plaintext: string; v1: string };
const secrets: Secret[] = [];
let dataDir = "";

const binding = (s: Pick<Secret, "id" | "teamId">): SecretBinding => ({
  purpose: "upstream_key",
  teamId: s.teamId,
  rowId: s.id,
});

function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: url,
    AUTH_SECRET: "s".repeat(44),
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    ENCRYPTION_KEY: key2,
    ENCRYPTION_KEY_VERSION: "2",
    ENCRYPTION_KEY_PREVIOUS: `1:${key1}`,
    ...extra,
  };
}

const migrateKeys = (args: string[], env = cliEnv()) =>
  runToExit(process.execPath, [CLI, "migrate-keys", ...args], env);

async function storedCiphertexts(connection = url): Promise<Map<string, string>> {
  const result = await withClient(connection, (c) =>
    c.query<{ id: string; ct: string }>(`SELECT id::text, "encryptedKey" AS ct FROM "UpstreamKey"`),
  );
  return new Map(result.rows.map((row) => [row.id, row.ct]));
}

/** Every stored secret decrypts with `keyring` to its original; returns how many rows each version has. */
async function expectAllReadable(keyring: Keyring): Promise<Record<string, number>> {
  const stored = await storedCiphertexts();
  expect(stored.size).toBe(ROWS);
  const versions: Record<string, number> = {};
  for (const s of secrets) {
    const ciphertext = stored.get(s.id) ?? "";
    versions[ciphertext.split(".")[0] ?? ""] = (versions[ciphertext.split(".")[0] ?? ""] ?? 0) + 1;
    expect(decryptSecret(ciphertext, binding(s), keyring)).toBe(s.plaintext);
  }
  return versions;
}

/** Puts every row back to its version-1 ciphertext, as before a rotation. */
async function resetToVersion1(): Promise<void> {
  await withClient(url, (c) =>
    c.query(
      `UPDATE "UpstreamKey" u SET "encryptedKey" = v.ct FROM unnest($1::uuid[], $2::text[]) AS v(id, ct) WHERE u.id = v.id`,
      [secrets.map((s) => s.id), secrets.map((s) => s.v1)],
    ),
  );
}

async function backups(): Promise<string[]> {
  const dir = path.join(dataDir, "backups");
  return (await readdir(dir).catch(() => [] as string[])).sort().map((name) => path.join(dir, name));
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "keyward-migrate-keys-"));
  const teamIds = Array.from({ length: TEAMS }, () => randomUUID());
  for (let i = 0; i < ROWS; i++) {
    const s = {
      id: randomUUID(),
      teamId: teamIds[i % TEAMS] ?? "",
      plaintext: `sk-proj-${randomBytes(36).toString("base64url")}-${i}`,
    };
    secrets.push({ ...s, v1: encryptSecret(s.plaintext, binding(s), onlyKey1) });
  }
  await withClient(url, async (c) => {
    await c.query(
      `INSERT INTO "Team" (id, slug, name, "updatedAt") SELECT id, 'rotation-' || id, 'Rotation team', now() FROM unnest($1::uuid[]) AS id`,
      [teamIds],
    );
    await c.query(
      `INSERT INTO "UpstreamKey" (id, "teamId", name, "encryptedKey", "keyHint", "updatedAt")
       SELECT id, team, 'OpenAI', ct, right(hint, 4), now() FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS v(id, team, ct, hint)`,
      [
        secrets.map((s) => s.id),
        secrets.map((s) => s.teamId),
        secrets.map((s) => s.v1),
        secrets.map((s) => s.plaintext),
      ],
    );
  });
});

afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("keyward migrate-keys", () => {
  it("--dry-run counts per table and changes nothing, not even a backup or an audit event", async () => {
    const before = await storedCiphertexts();
    const { code, output } = await migrateKeys(["--from", "1", "--to", "2", "--dry-run"]);
    expect(output).toContain(`UpstreamKey.encryptedKey: ${ROWS} row(s) would be re-encrypted from key version 1 to 2.`);
    expect(code).toBe(0);
    expect(await storedCiphertexts()).toEqual(before);
    expect(await backups()).toEqual([]);
    const audit = await withClient(url, (c) =>
      c.query(`SELECT 1 FROM "AuditEvent" WHERE action = 'encryption.reencrypt'`),
    );
    expect(audit.rowCount).toBe(0);
  });

  it("refuses to decrypt to plaintext, and versions that are not in the keyring, changing nothing", async () => {
    const before = await storedCiphertexts();
    const refusals = await Promise.all(
      [["--from", "1", "--to", "plaintext"], ["--from", "1", "--to", "none"], ["--decrypt"]].map((args) =>
        migrateKeys(args),
      ),
    );
    for (const { code, output } of refusals) {
      expect(output).toContain("Keyward never stores secrets in plaintext; decrypting them is not offered.");
      expect(code).toBe(1);
    }
    const unknown = await migrateKeys(["--from", "1", "--to", "9"]);
    expect(unknown.output).toContain("--to 9: key version 9 is not in the keyring (it has 1, 2)");
    expect(unknown.code).toBe(1);
    expect(await storedCiphertexts()).toEqual(before);
    expect(await backups()).toEqual([]);
  });

  it("re-encrypts 10,000 secrets from key 1 to key 2 with progress, a 0600 backup and an audit event", async () => {
    const started = Date.now();
    const { code, output } = await migrateKeys(["--from", "1", "--to", "2", "--batch-size", "200"]);
    const seconds = (Date.now() - started) / 1000;
    expect(output).toMatch(new RegExp(`re-encrypted ${ROWS}/${ROWS} \\(\\d+/s\\)`));
    expect(output).toContain(`Re-encrypted ${ROWS} secret(s) from key version 1 to 2.`);
    expect(code).toBe(0);
    console.log(
      `migrate-keys: ${ROWS} rows in ${seconds.toFixed(1)} s of CLI wall time; ${output.match(/re-encrypted \d+\/\d+ \(\d+\/s\)/g)?.join(", ")}`,
    );

    expect(await expectAllReadable(onlyKey2)).toEqual({ v2: ROWS });
    const [backup] = await backups();
    expect(backup).toMatch(/migrate-keys-\d{8}T\d{6}\.\d{3}Z\.jsonl$/);
    expect((await stat(backup ?? "")).mode & 0o777).toBe(0o600);
    const lines = (await readFile(backup ?? "", "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(ROWS);
    const byId = new Map(secrets.map((s) => [s.id, s]));
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(["ciphertext", "column", "id", "table", "teamId"]);
      expect(line).toMatchObject({
        table: "UpstreamKey",
        column: "encryptedKey",
        teamId: byId.get(String(line.id))?.teamId,
        ciphertext: byId.get(String(line.id))?.v1,
      });
    }
    const audit = await withClient(url, (c) =>
      c.query(
        `SELECT "teamId", "actorType", "actorLabel", metadata FROM "AuditEvent" WHERE action = 'encryption.reencrypt'`,
      ),
    );
    expect(audit.rows).toEqual([
      {
        teamId: null,
        actorType: "system",
        actorLabel: "keyward migrate-keys",
        metadata: { from: 1, to: 2, rows: ROWS, dryRun: false, completed: true },
      },
    ]);
  });

  it(
    "survives kill -9 at a random point: every row stays readable, and a second run finishes the job",
    { timeout: 60_000 },
    async () => {
      await resetToVersion1();
      const earlier = await backups();
      const child = spawn(process.execPath, [CLI, "migrate-keys", "--from", "1", "--to", "2", "--batch-size", "50"], {
        env: cliEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      // 'close', not 'exit': the output the child wrote before the kill may still be arriving after its exit.
      const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
      for (const until = Date.now() + 30_000; !/re-encrypted [1-9]\d*\//.test(output); await sleep(10)) {
        if (child.exitCode !== null || Date.now() > until) throw new Error(`no progress before the kill:\n${output}`);
      }
      await sleep(Math.random() * 800);
      child.kill("SIGKILL");
      await exited;

      const versions = await expectAllReadable(bothKeys);
      console.log(
        `kill -9 landed with ${JSON.stringify(versions)} (${output.match(/re-encrypted \d+\/\d+/g)?.pop()} shown)`,
      );
      expect((versions.v1 ?? 0) + (versions.v2 ?? 0)).toBe(ROWS);
      // The kill is meant to land mid-run (50-row batches take a few seconds in all), but where it lands is
      // the machine's business: if every batch had committed first, the resumed run below must be a clean
      // no-op. The rows say which it was, not the output (the last batch can commit before its line is out).
      expect(versions.v2, "progress was shown, so a batch had committed").toBeGreaterThan(0);
      if (!versions.v1) console.log("every batch had committed before the kill");

      const rerun = await migrateKeys(["--from", "1", "--to", "2", "--batch-size", "200"]);
      expect(rerun.code).toBe(0);
      expect(rerun.output).toMatch(versions.v1 ? `Re-encrypted ${versions.v1} secret(s)` : "Nothing to re-encrypt");
      expect(await expectAllReadable(onlyKey2)).toEqual({ v2: ROWS });
      const created = (await backups()).filter((file) => !earlier.includes(file));
      expect(created.length).toBe(versions.v1 ? 2 : 1);
      for (const file of created) expect((await stat(file)).mode & 0o777).toBe(0o600);
    },
  );
});

describe("start-up with stored secrets under a key it lacks", () => {
  const adminUrl = inject("databaseAdminUrl");
  const name = scratchDatabaseName("keyward_keyring");
  const refusedUrl = databaseUrl(adminUrl, name);
  let cwd = "";

  beforeAll(async () => {
    await createDatabase(adminUrl, name);
    await applyMigrations(refusedUrl);
    const key7 = keyringFromEnv({ ENCRYPTION_KEY: randomBytes(32).toString("base64"), ENCRYPTION_KEY_VERSION: "7" });
    const row = { id: randomUUID(), teamId: randomUUID() };
    await withClient(refusedUrl, async (c) => {
      await c.query(`INSERT INTO "Team" (id, slug, name, "updatedAt") VALUES ($1, $2, 'Seven', now())`, [
        row.teamId,
        `seven-${row.teamId}`,
      ]);
      await c.query(
        `INSERT INTO "UpstreamKey" (id, "teamId", name, "encryptedKey", "keyHint", "updatedAt") VALUES ($1, $2, 'OpenAI', $3, 'abcd', now())`,
        [row.id, row.teamId, encryptSecret("sk-seven", binding(row), key7)],
      );
    });
    // A working directory whose migrations include one more, pending: the refusal must come before it.
    cwd = await mkdtemp(path.join(tmpdir(), "keyward-refusal-"));
    await cp(path.resolve("prisma/migrations"), path.join(cwd, "prisma/migrations"), { recursive: true });
    await mkdir(path.join(cwd, "prisma/migrations/29991231000000_probe"));
    await writeFile(
      path.join(cwd, "prisma/migrations/29991231000000_probe/migration.sql"),
      `CREATE TABLE "Probe" (id int);\n`,
    );
  });

  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
    await dropDatabase(adminUrl, name);
  });

  const probeApplied = () =>
    withClient(
      refusedUrl,
      async (c) => (await c.query(`SELECT to_regclass('"Probe"') IS NOT NULL AS ok`)).rows[0]?.ok as boolean,
    );

  it("refuses, naming version 7, before applying any migration; with key 7 in the keyring it starts", async () => {
    const env = cliEnv({ DATABASE_URL: refusedUrl });
    // runToExit has no cwd: the migrations come from process.cwd(), here the directory with the probe.
    const run = (extra: Record<string, string>) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, "migrate"], {
          cwd,
          env: { ...env, ...extra },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.once("exit", (code) => resolve({ code, output }));
      });
    const message =
      "Stored secrets use encryption key version 7, which is not in the keyring (ENCRYPTION_KEY / ENCRYPTION_KEY_PREVIOUS).";

    const withoutKey7 = await run({});
    expect(withoutKey7.output).toContain(message);
    expect(withoutKey7.code).toBe(1);
    expect(await probeApplied()).toBe(false);

    const key7 = randomBytes(32).toString("base64");
    // Any key will do for version 7 here: start-up checks versions, not contents (that is decryption's job).
    const withKey7 = await run({ ENCRYPTION_KEY_PREVIOUS: `1:${key1},7:${key7}` });
    expect(withKey7.output).toContain("Database is up to date.");
    expect(withKey7.code).toBe(0);
    expect(await probeApplied()).toBe(true);
  });

  it("the server prints the refusal plainly and exits non-zero", async () => {
    const { code, output } = await runToExit(process.execPath, ["--import", "tsx", "server.ts"], {
      ...cliEnv({ DATABASE_URL: refusedUrl }),
      PORT: "0",
    });
    expect(output).toContain("Stored secrets use encryption key version 7, which is not in the keyring");
    expect(output).not.toContain('"level":60');
    expect(code).toBe(1);
  });
});
