// Online rotation: while `keyward migrate-keys` re-encrypts 10,000 stored secrets, the running app keeps
// answering requests that decrypt upstream keys, and none of them fails.
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/auth/accounts";
import { withClient } from "@/lib/db/admin";
import { makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { findFreePort } from "@/lib/db/embedded-location";
import { startMockOpenAI } from "@/lib/mock-openai/server";
import { startApp } from "@/lib/testing/app-process";
import { signInOverHttp } from "@/lib/testing/http-session";
import { encryptSecret } from "./cipher";
import { keyringFromEnv } from "./keyring";

const ROWS = 10_000;
const key1 = randomBytes(32).toString("base64");
const key2 = randomBytes(32).toString("base64");
const url = process.env.DATABASE_URL ?? "";
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

/** 10,000 secrets under key 1: `ownerRows` in the signed-in owner's team, the rest spread over 50 teams. */
async function seed(ownerTeamId: string, ownerRows: number): Promise<string[]> {
  const keyring = keyringFromEnv({ ENCRYPTION_KEY: key1 });
  const ownerKeyIds: string[] = [];
  await withClient(url, async (client) => {
    const teams = [ownerTeamId];
    for (let i = 0; i < 50; i++) {
      const id = randomUUID();
      await client.query(`INSERT INTO "Team" (id, slug, name, "updatedAt") VALUES ($1, $2, $3, now())`, [
        id,
        `rot-${id}`,
        `Rotation ${i}`,
      ]);
      teams.push(id);
    }
    for (let start = 0; start < ROWS; start += 1000) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = start; i < start + 1000; i++) {
        const id = randomUUID();
        const teamId = i < ownerRows ? ownerTeamId : (teams[1 + (i % 50)] ?? ownerTeamId);
        if (teamId === ownerTeamId) ownerKeyIds.push(id);
        const secret = `sk-proj-${randomBytes(20).toString("hex")}`;
        const n = values.length;
        tuples.push(`($${n + 1}, $${n + 2}, 'k', $${n + 3}, $${n + 4}, now())`);
        values.push(
          id,
          teamId,
          encryptSecret(secret, { purpose: "upstream_key", teamId, rowId: id }, keyring),
          secret.slice(-4),
        );
      }
      await client.query(
        `INSERT INTO "UpstreamKey" (id, "teamId", name, "encryptedKey", "keyHint", "updatedAt") VALUES ${tuples.join(",")}`,
        values,
      );
    }
  });
  return ownerKeyIds;
}

describe("online key rotation", () => {
  it(
    "keeps serving decrypting requests while migrate-keys re-encrypts 10,000 secrets",
    { timeout: 180_000 },
    async () => {
      const mock = await startMockOpenAI();
      cleanup.push(() => mock.close());
      const dataDir = await makeEmbeddedTempDir("keyward-rotation-");
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const password = "saffron lighthouse nineteen";
      const { team } = await signUp(
        { name: "Rota", email: `rota-${randomUUID()}@example.test`, password, teamName: "Rotation" },
        { ip: null, userAgent: "test" },
      );
      const ownerKeyIds = await seed(team.id, 200);

      const rotatedEnv = {
        ...process.env,
        DATABASE_URL: url,
        DATA_DIR: dataDir,
        AUTH_SECRET: randomBytes(32).toString("base64"),
        ENCRYPTION_KEY: key2,
        ENCRYPTION_KEY_VERSION: "2",
        ENCRYPTION_KEY_PREVIOUS: `1:${key1}`,
        OPENAI_BASE_URL: mock.baseUrl,
        LOG_LEVEL: "warn",
      };
      const port = await findFreePort();
      const app = await startApp({ ...rotatedEnv, APP_URL: `http://127.0.0.1:${port}` }, port);
      cleanup.push(() => app.stop());
      const cookie =
        (await signInOverHttp(
          app.url,
          (await withClient(url, (c) => c.query<{ email: string }>(`SELECT email FROM "User" LIMIT 1`))).rows[0]
            ?.email ?? "",
          password,
        )) ?? "";
      expect(cookie).not.toBe("");

      // One row of another team stays locked until enough requests were answered mid-run: the CLI skips it
      // and waits for it (SKIP LOCKED, then backs off), so the run lasts as long as this test needs, on any
      // machine — the overlap is made, not hoped for.
      const locker = new pg.Client({ connectionString: url });
      await locker.connect();
      cleanup.push(() => locker.end());
      await locker.query("BEGIN");
      await locker.query(`SELECT id FROM "UpstreamKey" WHERE "teamId" <> $1 ORDER BY id LIMIT 1 FOR UPDATE`, [team.id]);

      const cli = spawn(
        process.execPath,
        ["bin/keyward.mjs", "migrate-keys", "--from", "1", "--to", "2", "--batch-size", "100"],
        { env: rotatedEnv, stdio: ["ignore", "pipe", "pipe"] },
      );
      let cliOutput = "";
      cli.stdout.on("data", (c: Buffer) => (cliOutput += c.toString()));
      cli.stderr.on("data", (c: Buffer) => (cliOutput += c.toString()));
      const cliExit = new Promise<number | null>((resolve) => cli.once("exit", resolve));

      const failures: string[] = [];
      let duringRun = 0;
      const hammer = async () => {
        while (cli.exitCode === null) {
          // Counted only once the CLI has its backup and is re-encrypting (it prints that line first).
          const reencrypting = cliOutput.includes("Backed up");
          const id = ownerKeyIds[Math.floor(Math.random() * ownerKeyIds.length)];
          const response = await fetch(`${app.url}/api/teams/${team.slug}/upstream-keys/${id}/check`, {
            method: "POST",
            headers: { cookie, origin: app.url }, // as the dashboard's own page sends it (proxy.ts)
          });
          const body = await response.text();
          if (response.status !== 200 || !body.includes('"status":"valid"'))
            failures.push(`${response.status} ${body.slice(0, 200)}`);
          else if (reencrypting && cli.exitCode === null) duringRun++;
        }
      };
      const unlockOnceServed = async () => {
        try {
          await expect
            .poll(() => duringRun >= 20 || cli.exitCode !== null, { timeout: 120_000, interval: 100 })
            .toBe(true);
        } finally {
          await locker.query("COMMIT");
        }
      };
      await Promise.all([hammer(), hammer(), hammer(), unlockOnceServed()]);
      expect(await cliExit, cliOutput).toBe(0);

      expect(failures).toEqual([]);
      expect(duringRun, "requests answered while the re-encryption ran").toBeGreaterThanOrEqual(20);
      expect(cliOutput).toMatch(/10000\/10000|10,000/);
      const versions = await withClient(url, (c) =>
        c.query<{ v: string; n: string }>(
          `SELECT split_part("encryptedKey", '.', 1) AS v, count(*) AS n FROM "UpstreamKey" GROUP BY 1`,
        ),
      );
      expect(versions.rows).toEqual([{ v: "v2", n: String(ROWS) }]);
    },
  );
});
