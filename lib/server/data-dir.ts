// The data directory (DATA_DIR, default .data in the app's folder): generated secrets, the embedded
// PostgreSQL's credentials and, usually, its cluster. Who may enter it:
// - Keyward as an ordinary user: 0700. The embedded PostgreSQL runs as that same user.
// - Keyward as root: 0711. PostgreSQL refuses to run as root, so the embedded cluster runs as the OS user
//   `postgres`, which must be able to pass through DATA_DIR to reach DATA_DIR/postgres (itself 0700 and
//   owned by `postgres`, as initdb makes it). 0711 lets other users through by exact name but not list it;
//   every file in it is 0600 (secrets.json, postgres.json), so nothing is readable to them.
import { accessSync, chmodSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { describeFsError, StartupError } from "@/lib/server/startup-error";

export const runsAsRoot = (): boolean => process.getuid?.() === 0;

function nearestExisting(dir: string): string {
  let current = dir;
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/** Creates DATA_DIR if needed, with the mode above, and checks we can write to it. Returns its absolute path. */
export function prepareDataDir(dataDir: string): string {
  const full = path.resolve(dataDir);
  const mode = runsAsRoot() ? 0o711 : 0o700;
  const fail = (what: string, error: unknown): never => {
    throw new StartupError(
      `the data directory ${full} (DATA_DIR) ${what}: ${describeFsError(error)}.`,
      `set DATA_DIR to a folder this user can write to, or fix the permissions of ${nearestExisting(full)}.`,
      { cause: error },
    );
  };
  try {
    mkdirSync(full, { recursive: true, mode });
  } catch (error) {
    fail("cannot be created", error);
  }
  const info = statSync(full);
  if (!info.isDirectory()) fail("is not a folder", new Error("it is a file"));
  // As root, a folder someone else owns or may write to is refused (like sshd's StrictModes): its files would
  // hand us secrets and a cluster path we then chown. Another user could have made /tmp/kw before us.
  if (runsAsRoot() && (info.uid !== 0 || (info.mode & 0o022) !== 0)) {
    throw new StartupError(
      `the data directory ${full} (DATA_DIR) is owned by uid ${info.uid} with mode ` +
        `${(info.mode & 0o777).toString(8)}; running as root, Keyward uses only a folder root owns and only root ` +
        "can write to.",
      `run \`chown root: ${full} && chmod go-w ${full}\` if it is yours, or set DATA_DIR to a new folder.`,
    );
  }
  // Earlier versions created it 0700 even as root, which locked the embedded cluster's OS user out.
  if (runsAsRoot() && (info.mode & 0o001) === 0 && info.uid === 0) chmodSync(full, (info.mode & 0o777) | 0o011);
  try {
    accessSync(full, constants.W_OK | constants.X_OK);
  } catch (error) {
    fail("is not writable", error);
  }
  return full;
}
