// Start-up as a newcomer and an operator meet it: `npm start` on a fresh data directory with no
// DATABASE_URL (embedded PostgreSQL, generated secrets, data kept across restarts), and the refusal to run
// on a real database without ENCRYPTION_KEY.
import { existsSync, readFileSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { findFreePort } from "@/lib/db/embedded-location";
import { runToExit, SERVER, startApp, type AppProcess } from "@/lib/testing/app-process";
import { signInOverHttp } from "@/lib/testing/http-session";

const SECRET_VARS = ["DATABASE_URL", "AUTH_SECRET", "ENCRYPTION_KEY", "SMTP_URL", "APP_URL", "PORT", "DATA_DIR"];

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of SECRET_VARS) delete env[name];
  return { ...env, LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1", ...extra };
}

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe("start-up", () => {
  it("refuses to run against DATABASE_URL without ENCRYPTION_KEY, naming it, and creates nothing", async () => {
    const dataDir = await makeEmbeddedTempDir("keyward-refuse-");
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const env = cleanEnv({
      DATABASE_URL: process.env.DATABASE_URL ?? "",
      AUTH_SECRET: "x".repeat(44),
      DATA_DIR: dataDir,
      PORT: String(await findFreePort()),
    });
    const { code, output } = await runToExit(SERVER[0], SERVER.slice(1), env);
    expect(code).not.toBe(0);
    expect(output).toContain("ENCRYPTION_KEY is missing");
    expect(output).not.toContain("AUTH_SECRET is missing");
    expect(existsSync(path.join(dataDir, "secrets.json"))).toBe(false);
    expect(existsSync(path.join(dataDir, "postgres"))).toBe(false);
  });

  it(
    "npm start on a fresh data directory serves the landing page, and a second start keeps the data",
    { timeout: 180_000 },
    async () => {
      const dataDir = await makeEmbeddedTempDir("keyward-fresh-");
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const port = await findFreePort();
      // LOG_LEVEL=info to see the server's own "stopped" line: npm itself dies by the SIGTERM it forwards.
      const env = cleanEnv({
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(await findFreePort()),
        APP_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: "info",
      });
      const start = () => startApp(env, port, { command: ["npm", "start"], timeoutMs: 150_000 });

      let app: AppProcess = await start();
      cleanup.push(() => app.stop());
      const landing = await fetch(app.url);
      expect(landing.status).toBe(200);
      expect(await landing.text()).toContain("without handing anyone the real key");

      const secretsFile = path.join(dataDir, "secrets.json");
      expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
      const secrets = readFileSync(secretsFile, "utf8");
      expect(app.output()).toContain("Generated AUTH_SECRET and ENCRYPTION_KEY");

      // An operator bootstraps the first owner while the app runs: the CLI attaches to the same database.
      const password = "plum kettle orbit seventeen";
      const bootstrap = await runToExit(
        process.execPath,
        ["bin/keyward.mjs", "bootstrap", "--email", "owner@fresh.test", "--team", "Fresh Start"],
        env,
        `${password}\n`,
      );
      expect(bootstrap.output).toContain('Created owner@fresh.test as owner of "Fresh Start"');
      expect(bootstrap.code).toBe(0);
      expect(await signInOverHttp(app.url, "owner@fresh.test", password)).not.toBeNull();

      // A second bootstrap is refused (people sign up on the web), before any password is read...
      const again = await runToExit(
        process.execPath,
        ["bin/keyward.mjs", "bootstrap", "--email", "second@fresh.test", "--team", "Second"],
        env,
        `${password}\n`,
      );
      expect(again.code).not.toBe(0);
      expect(again.output).toContain("already has 1 account");
      expect(again.output).toContain("--additional");
      expect(again.output).not.toContain("Password for the new owner");
      expect(await signInOverHttp(app.url, "second@fresh.test", password)).toBeNull();
      // ...unless the operator says --additional.
      const additional = await runToExit(
        process.execPath,
        ["bin/keyward.mjs", "bootstrap", "--email", "second@fresh.test", "--team", "Second", "--additional"],
        env,
        `${password}\n`,
      );
      expect(additional.output).toContain('Created second@fresh.test as owner of "Second"');
      expect(additional.code).toBe(0);

      await app.stop();
      // Stopped cleanly: the server said so, and PostgreSQL removed its pid file on the way down.
      expect(app.output()).toContain('"msg":"stopped"');
      expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);

      app = await start();
      const cookie = await signInOverHttp(app.url, "owner@fresh.test", password);
      expect(cookie).not.toBeNull();
      const members = await fetch(`${app.url}/api/teams/fresh-start/members`, { headers: { cookie: cookie ?? "" } });
      expect(members.status).toBe(200);
      expect(JSON.stringify(await members.json())).toContain("owner@fresh.test");
      expect(readFileSync(secretsFile, "utf8")).toBe(secrets);
      expect(app.output()).not.toContain("Generated AUTH_SECRET");
      await app.stop();
      expect(app.output()).toContain('"msg":"stopped"');
    },
  );
});
