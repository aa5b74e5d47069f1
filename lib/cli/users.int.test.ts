// `keyward users list|unlock|reset-2fa` as an operator runs them: the real CLI in its own process, against
// this file's database and against the embedded database it starts by itself when DATABASE_URL is unset.
import { randomBytes } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.ENCRYPTION_KEY = ENCRYPTION_KEY;
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { makeEmbeddedTempDir } = await import("@/lib/db/scratch-server");
const { createSession, findActiveSession } = await import("@/lib/auth/sessions");
const { beginTotpEnrolment, confirmTotpEnrolment, twoFactorStatus } = await import("@/lib/auth/two-factor");
const { db } = await import("@/lib/db/client");
const { runToExit } = await import("@/lib/testing/app-process");
const { seedUser, TEST_PASSWORD, TEST_REQUEST, uniqueEmail } = await import("@/lib/testing/seed");

const CLI = path.resolve("bin/keyward.mjs");
let dataDir = "";
let embeddedDir = "";
beforeAll(async () => {
  dataDir = await makeEmbeddedTempDir("keyward-cli-users-");
  embeddedDir = await makeEmbeddedTempDir("keyward-cli-users-embedded-");
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(embeddedDir, { recursive: true, force: true });
});

const keyward = (...args: string[]) =>
  runToExit(process.execPath, [CLI, ...args], {
    ...process.env,
    ENCRYPTION_KEY,
    AUTH_SECRET: "s".repeat(44),
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
  });

describe("keyward users, against DATABASE_URL", () => {
  it("lists accounts with their 2FA and lock state", async () => {
    const plain = await seedUser("cli-list-plain");
    const withTotp = await seedUser("cli-list-totp");
    const { secret } = await beginTotpEnrolment(withTotp.user.id, TEST_PASSWORD);
    await confirmTotpEnrolment(withTotp.user.id, await generate({ secret }), TEST_REQUEST);
    await db().user.update({ where: { id: plain.user.id }, data: { lockedAt: new Date() } });
    const table = await keyward("users", "list");
    expect(table.code).toBe(0);
    const line = (email: string) => table.stdout.split("\n").find((l) => l.includes(email)) ?? "";
    expect(line(plain.user.email)).toMatch(/\boff\b.*\blocked\b/);
    expect(line(withTotp.user.email)).toMatch(/\bon\b/);
    const json = JSON.parse((await keyward("users", "list", "--json")).stdout) as {
      email: string;
      twoFactor: boolean;
    }[];
    expect(json.find((a) => a.email === withTotp.user.email)?.twoFactor).toBe(true);
  });

  it("unlocks a locked account, and says so when there is nothing to unlock", async () => {
    const { user } = await seedUser("cli-unlock");
    await db().user.update({ where: { id: user.id }, data: { lockedAt: new Date(), failedSignIns: 100 } });
    const first = await keyward("users", "unlock", "--email", user.email.toUpperCase());
    expect(first.stdout).toContain(`Unlocked ${user.email}`);
    expect(first.code).toBe(0);
    const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ lockedAt: null, failedSignIns: 0 });
    expect((await keyward("users", "unlock", "--email", user.email)).stdout).toContain("is not locked");
  });

  it("resets 2FA: off, every session ended, audited, and the user e-mailed", async () => {
    const { user, session } = await seedUser("cli-reset");
    const { secret } = await beginTotpEnrolment(user.id, TEST_PASSWORD);
    await confirmTotpEnrolment(user.id, await generate({ secret }), TEST_REQUEST);
    const other = await createSession(user.id, TEST_REQUEST);
    const result = await keyward("users", "reset-2fa", "--email", user.email);
    expect(result.stdout).toContain(`Turned off two-factor authentication for ${user.email}; ended 2 session(s)`);
    expect(result.code).toBe(0);
    expect((await twoFactorStatus(user.id)).enabled).toBe(false);
    expect(await db().recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await findActiveSession(session.sessionId, user.id)).toBeNull();
    expect(await findActiveSession(other.id, user.id)).toBeNull();
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "user.two_factor_reset", actorId: null } });
    expect(audit.metadata).toMatchObject({ hadTwoFactor: true, sessionsEnded: 2 });
    const mails = await Promise.all(
      (await readdir(path.join(dataDir, "mail"))).map((f) => readFile(path.join(dataDir, "mail", f), "utf8")),
    );
    expect(
      mails.some((m) => m.includes(`To: ${user.email}`) && m.includes("Two-factor authentication was reset")),
    ).toBe(true);
  });

  it("refuses an unknown e-mail, or no e-mail at all, with a clear message and changes nothing", async () => {
    const unknown = uniqueEmail("nobody");
    for (const command of ["unlock", "reset-2fa"]) {
      const result = await keyward("users", command, "--email", unknown);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`No account with the e-mail address ${unknown}.`);
      const bad = await keyward("users", command, "--email", "not-an-address");
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("--email: must be an e-mail address");
    }
  });
});

describe("keyward users, on the embedded database (DATABASE_URL unset)", () => {
  it("works on the embedded default and refuses unknown e-mails", { timeout: 180_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: embeddedDir, LOG_LEVEL: "warn" };
    for (const name of ["DATABASE_URL", "ENCRYPTION_KEY", "AUTH_SECRET", "EMBEDDED_PG_PORT"]) delete env[name];
    const run = (args: string[], input?: string) => runToExit(process.execPath, [CLI, ...args], env, input);
    const boot = await run(["bootstrap", "--email", "owner@embedded.test", "--team", "Embedded"], `${TEST_PASSWORD}\n`);
    expect(boot.code, boot.output).toBe(0);
    const list = await run(["users", "list"]);
    expect(list.code, list.output).toBe(0);
    expect(list.stdout).toMatch(/owner@embedded\.test\s.*\boff\b/);
    const unknown = await run(["users", "reset-2fa", "--email", "nobody@embedded.test"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No account with the e-mail address nobody@embedded.test.");
    expect((await run(["users", "unlock", "--email", "owner@embedded.test"])).stdout).toContain("is not locked");
  });
});
