// Which process started the embedded PostgreSQL that runs on a data directory, so that the start after a crash
// (kill -9 of the server, which gives it no chance to stop anything) can tell a server left behind from one a
// live Keyward still uses, and stop the first instead of leaving it to run forever.
//
// DATA_DIR/postgres-owner.json names the starter and its postmaster. The starter spawns the postmaster itself,
// so while the starter lives it is the postmaster's parent; once it is gone the kernel hands the postmaster to
// init (or a subreaper). "Left behind" needs both: the record names this very postmaster, and its parent is no
// longer the recorded starter (a PID recycled since cannot pass for a parent). Anything less certain counts as
// in use and is attached to, never stopped, as before: no record (a Keyward from before this file, or one killed
// between its postmaster's start and the record), or a record of another postmaster (a start under way).
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { findRunningServer, isAlive, type RunningServer } from "./embedded-state";

const OWNER_FILE = "postgres-owner.json";
const ownerSchema = z.object({ ownerPid: z.number().int().positive(), postmasterPid: z.number().int().positive() });

/**
 * Records this process as the starter of `postmasterPid`. Called once that postmaster accepts connections:
 * only then is it certainly the one that holds the cluster (a start that lost a race never gets here, so it
 * cannot overwrite the winner's record).
 */
export async function recordOwner(dataDir: string, postmasterPid: number): Promise<void> {
  const file = path.join(dataDir, OWNER_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ ownerPid: process.pid, postmasterPid })}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

async function parentOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (stat === null) return null;
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so fields count from the last ")".
  const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  return Number.isInteger(ppid) ? ppid : null;
}

/** Whether `server` was started by a Keyward that is gone (see the top of this file). */
export async function isLeftBehind(dataDir: string, server: RunningServer): Promise<boolean> {
  const text = await readFile(path.join(dataDir, OWNER_FILE), "utf8").catch(() => null);
  let json: unknown;
  try {
    json = JSON.parse(text ?? "");
  } catch {
    return false;
  }
  const record = ownerSchema.safeParse(json);
  if (!record.success || record.data.postmasterPid !== server.pid) return false;
  // Without /proc, only the starter's PID: one recycled since reads as alive, which errs on the safe side.
  if (process.platform !== "linux") return !isAlive(record.data.ownerPid);
  const parent = await parentOf(server.pid);
  return parent !== null && parent !== record.data.ownerPid;
}

// SIGTERM is PostgreSQL's smart shutdown: sessions still open end their work first, such as the dead server's
// web process writing its last metered usage on its way out. Then fast (SIGINT), then immediate (SIGQUIT).
const STOP_STEPS = [
  ["SIGTERM", 5_000],
  ["SIGINT", 20_000],
  ["SIGQUIT", 10_000],
] as const;

/** Stops a postmaster that is not our child: its exit cannot be awaited, so its pid file is watched. */
export async function stopLeftBehind(pgDir: string, server: RunningServer): Promise<void> {
  for (const [signal, waitMs] of STOP_STEPS) {
    try {
      process.kill(server.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") return;
      throw error;
    }
    for (const until = Date.now() + waitMs; Date.now() < until; await sleep(100)) {
      if ((await findRunningServer(pgDir))?.pid !== server.pid) return;
    }
  }
  throw new Error(`the PostgreSQL server left running on ${pgDir} (pid ${server.pid}) does not stop`);
}
