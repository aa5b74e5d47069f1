// The newcomer's path, exactly as the README gives it: a fresh clone (the repository's files and nothing
// else: no .data, no build, no database), `npm ci && npm start`, the default DATA_DIR, no DATABASE_URL.
// - As root, in a folder closed to other users, as `mktemp -d` and /root are (0700): the embedded
//   PostgreSQL, which runs as the OS user `postgres`, cannot enter it (lib/db/embedded-location.ts).
// - As an ordinary user made for the test with useradd, in their home folder: PostgreSQL runs as that user.
//   Its dependencies are copied from the first clone's `npm ci` (same lockfile): a second full install would
//   need a second npm cache; its build, data, database and ports are its own.
// - Both side by side, beside whatever Keyward already runs on this machine (the e2e server, say): the
//   second clone's PostgreSQL must find its own port. Then a restart of the first keeps its data.
// When the suite itself runs as an ordinary user, useradd is not available: the second clone then runs as
// that same user, which is still the ordinary-user path.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { chmod, copyFile, cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { findFreePort } from "@/lib/db/embedded-location";
import { runsAsRoot } from "@/lib/server/data-dir";
import { runToExit, startApp, type AppProcess, type RunAs } from "@/lib/testing/app-process";

const run = promisify(execFile);
const REPO = process.cwd();
// Variables a newcomer's shell would not have; the test runner's own (DATABASE_URL above all) must not leak.
const UNSET = ["DATABASE_URL", "AUTH_SECRET", "ENCRYPTION_KEY", "SMTP_URL", "APP_URL", "PORT", "DATA_DIR"];
const UNSET_TOO = ["EMBEDDED_PG_PORT", "KEYWARD_PROXY_OWNER", "NODE_OPTIONS", "VITEST", "VITEST_POOL_ID"];

function newcomerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [...UNSET, ...UNSET_TOO]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("npm_") || name.startsWith("VITEST_")) delete env[name];
  return { ...env, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "info", ...extra };
}

/** What `git clone` of this checkout would hold: tracked files plus new ones not ignored, as they are now. */
async function cloneInto(target: string): Promise<void> {
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of stdout.split("\0").filter(Boolean)) {
    const source = path.join(REPO, file);
    if (!existsSync(source)) continue; // deleted in the working tree
    await mkdir(path.dirname(path.join(target, file)), { recursive: true });
    await copyFile(source, path.join(target, file));
    await chmod(path.join(target, file), statSync(source).mode & 0o777);
  }
}

const credentialsSchema = z.object({ port: z.number(), clusterDir: z.string().optional() });
const readCredentials = (dataDir: string) =>
  credentialsSchema.parse(JSON.parse(readFileSync(path.join(dataDir, "postgres.json"), "utf8")));

const cleanup: (() => Promise<unknown>)[] = [];
// Two clones with their node_modules (about 1.2 GB each) take a while to delete on a busy machine.
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch((error: unknown) => console.error(error));
}, 600_000);

async function landingPage(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

describe("a fresh clone", () => {
  it(
    "npm ci && npm start serves as root in a closed folder and as an ordinary user, side by side, and after a restart",
    { timeout: 1_200_000 },
    async () => {
      // --- Clone A, as the user running the suite (root on CI), in a folder made like `mktemp -d` (0700).
      const parentA = await mkdtemp(path.join(tmpdir(), "keyward-clone-"));
      cleanup.push(() => rm(parentA, { recursive: true, force: true }));
      const cloneA = path.join(parentA, "keyward");
      await cloneInto(cloneA);
      expect(existsSync(path.join(cloneA, ".data"))).toBe(false);
      const install = await runToExit("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], newcomerEnv(), "", {
        cwd: cloneA,
      });
      expect(install.code, install.output).toBe(0);

      const portA = await findFreePort();
      const where: RunAs = { cwd: cloneA };
      const startA = () => startApp(newcomerEnv(), portA, { ...where, command: ["npm", "start"], timeoutMs: 600_000 });
      const dataA = path.join(cloneA, ".data");
      // Runs after A has stopped (cleanup runs in reverse). The shared copy of the binaries under
      // /var/lib/keyward/postgresql stays: other servers on this machine may be running from it.
      cleanup.push(async () => {
        const clusterDir = existsSync(path.join(dataA, "postgres.json")) ? readCredentials(dataA).clusterDir : null;
        if (clusterDir) await rm(clusterDir, { recursive: true, force: true });
        if (clusterDir) await rm(`${clusterDir}.txt`, { force: true });
      });
      let appA: AppProcess = await startA();
      cleanup.push(() => appA.stop());
      expect(await landingPage(appA.url)).toMatchObject({ status: 200 });
      expect((await landingPage(appA.url)).text).toContain("without handing anyone the real key");
      expect(statSync(path.join(dataA, "secrets.json")).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(dataA, "postgres.json")).mode & 0o777).toBe(0o600);
      expect(statSync(dataA).mode & 0o777).toBe(runsAsRoot() ? 0o711 : 0o700);
      if (runsAsRoot()) {
        // The clone's folder is closed to `postgres`: its cluster had to live where that user can reach it.
        expect(readCredentials(dataA).clusterDir).toMatch(/^\/var\/lib\/keyward\/clusters\/[0-9a-f]{16}$/);
        expect(appA.output()).toContain('The OS user \\"postgres\\" cannot enter'); // JSON-escaped in the log line
      }

      // --- Clone B, as an ordinary user in their home folder, started while A runs.
      const user = runsAsRoot() ? `kwtest${process.pid}` : null;
      let home: string;
      let asUser: RunAs["user"];
      if (user) {
        await run("useradd", ["--create-home", "--shell", "/bin/sh", user]);
        cleanup.push(() => run("userdel", ["--remove", user]));
        home = (await run("sh", ["-c", `getent passwd ${user} | cut -d: -f6`])).stdout.trim();
        const [uid, gid] = await Promise.all([run("id", ["-u", user]), run("id", ["-g", user])]);
        asUser = { uid: Number(uid.stdout), gid: Number(gid.stdout) };
      } else {
        const made = await mkdtemp(path.join(tmpdir(), "keyward-user-"));
        cleanup.push(() => rm(made, { recursive: true, force: true }));
        home = made;
      }
      const cloneB = path.join(home, "keyward");
      await cloneInto(cloneB);
      await cp(path.join(cloneA, "node_modules"), path.join(cloneB, "node_modules"), {
        recursive: true,
        verbatimSymlinks: true,
      });
      // The user's own Node: this one may sit in a folder they cannot enter (CI's Node 24 in the checkout).
      const binB = path.join(home, "bin");
      await mkdir(binB, { recursive: true });
      await copyFile(process.execPath, path.join(binB, "node"));
      await chmod(path.join(binB, "node"), 0o755);
      if (user) await run("chown", ["-R", `${user}:`, home]);
      const envB = newcomerEnv({ HOME: home, PATH: `${binB}:/usr/local/bin:/usr/bin:/bin`, USER: user ?? "" });
      const portB = await findFreePort();
      const appB = await startApp(envB, portB, {
        cwd: cloneB,
        user: asUser,
        command: ["npm", "start"],
        timeoutMs: 600_000,
      });
      cleanup.push(() => appB.stop());
      const dataB = path.join(cloneB, ".data");
      // Both serve at once, on their own databases.
      expect((await landingPage(appA.url)).status).toBe(200);
      expect((await landingPage(appB.url)).status).toBe(200);
      expect(readCredentials(dataB).port).not.toBe(readCredentials(dataA).port);
      expect(readCredentials(dataB).clusterDir).toBeUndefined();
      expect(statSync(path.join(dataB, "postgres")).uid).toBe(asUser?.uid ?? process.getuid?.());
      expect(statSync(path.join(dataB, "postgres")).mode & 0o777).toBe(0o700);

      // A start-up failure says why in one line: B's user cannot write into a folder only root may change.
      const closed = path.join(home, "read-only");
      await mkdir(closed, { mode: 0o555 });
      if (user) await run("chown", [`root:`, closed]);
      await chmod(closed, 0o555);
      const failed = await runToExit(
        path.join(binB, "node"),
        ["dist/server.mjs"],
        { ...envB, DATA_DIR: path.join(closed, "data"), PORT: String(await findFreePort()) },
        "",
        { cwd: cloneB, user: asUser },
      );
      expect(failed.code).not.toBe(0);
      expect(failed.output).toContain(
        `Keyward could not start: the data directory ${closed}/data (DATA_DIR) cannot be created: permission ` +
          `denied (EACCES on mkdir). Hint: set DATA_DIR to a folder this user can write to, or fix the ` +
          `permissions of ${closed}.`,
      );
      await appB.stop();

      // --- A restarts on its data: the same secrets, the same cluster.
      const secrets = await readFile(path.join(dataA, "secrets.json"), "utf8");
      await appA.stop();
      expect(appA.output()).toContain('"msg":"stopped"');
      appA = await startA();
      expect((await landingPage(appA.url)).status).toBe(200);
      expect(await readFile(path.join(dataA, "secrets.json"), "utf8")).toBe(secrets);
      expect(appA.output()).not.toContain("Generated AUTH_SECRET");
      await appA.stop();
    },
  );
});
