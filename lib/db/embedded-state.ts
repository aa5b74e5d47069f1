// On-disk state of the embedded PostgreSQL: its credentials file and the postmaster.pid that tells whether a
// server already runs on the data directory.
import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { StartupError } from "@/lib/server/startup-error";

const credentialsSchema = z.object({
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  password: z.string().min(16),
  // Absent: DATA_DIR/postgres. Set when the cluster had to live elsewhere (embedded-location.ts), and only
  // ever there: root chowns this folder, so a doctored file must not point it at /etc.
  clusterDir: z
    .string()
    .regex(/^\/var\/lib\/keyward\/clusters\/[0-9a-f]{16}$/, "must be a folder Keyward made under /var/lib/keyward")
    .optional(),
});
export type EmbeddedCredentials = z.infer<typeof credentialsSchema>;

function errorCode(error: unknown): string | undefined {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}

export async function readCredentials(file: string): Promise<EmbeddedCredentials | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = credentialsSchema.safeParse(json);
  if (!parsed.success) {
    throw new StartupError(
      `${file} (the embedded database's password and port) is damaged or not Keyward's.`,
      "restore it from a backup: the cluster cannot be opened without the password it holds.",
    );
  }
  return parsed.data;
}

/**
 * Generates and stores the superuser's password for a new cluster. The file is created exclusively (so two
 * processes initialising at once end up with one password) and readable by its owner only: the password
 * grants full control over every team's data.
 */
export async function createCredentials(
  file: string,
  where: { port: number; clusterDir?: string },
): Promise<EmbeddedCredentials> {
  const credentials: EmbeddedCredentials = { ...where, user: "postgres", password: randomBytes(24).toString("hex") };
  try {
    await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    return credentials;
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
    const existing = await readCredentials(file);
    if (!existing) throw error;
    return existing;
  }
}

/** Rewrites the file (a new port, say) through a rename, so a crash never leaves half a password. */
export async function saveCredentials(file: string, credentials: EmbeddedCredentials): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  await rename(temporary, file);
}

export interface RunningServer {
  pid: number;
  port: number;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else (we may not be root).
    return errorCode(error) === "EPERM";
  }
}

/** On Linux, rules out a recycled PID: after a reboot or container restart it may name any process. */
async function looksLikePostmaster(pid: number, pgDir: string): Promise<boolean> {
  if (process.platform !== "linux") return true;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => null);
  if (cmdline === null) return false;
  const argv = cmdline.split("\0");
  return path.basename(argv[0] ?? "").startsWith("postgres") && argv.includes(pgDir);
}

/**
 * The server that currently owns `pgDir`, if any. A postmaster.pid left by a killed server (dead PID or a
 * recycled one) reports nothing; PostgreSQL itself then replaces the stale file when it starts.
 */
export async function findRunningServer(pgDir: string): Promise<RunningServer | null> {
  const text = await readFile(path.join(pgDir, "postmaster.pid"), "utf8").catch(() => null);
  if (!text) return null;
  // Line 1 is the PID, line 4 the port (see PostgreSQL's miscadmin.h, LOCK_FILE_LINE_*).
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  if (!isAlive(pid) || !(await looksLikePostmaster(pid, pgDir))) return null;
  return { pid, port };
}
