import { chmod, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { prepareDataDir, runsAsRoot } from "./data-dir";
import { StartupError, startupFailureLine } from "./startup-error";

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "keyward-data-dir-"));
  made.push(dir);
  return dir;
}

describe("prepareDataDir", () => {
  it("creates a missing folder, parents included, closed to other users", async () => {
    const dataDir = path.join(await scratch(), "clone", ".data");
    expect(prepareDataDir(dataDir)).toBe(dataDir);
    // Root: the embedded cluster's OS user must pass through to DATA_DIR/postgres, but not list the folder.
    expect((await stat(dataDir)).mode & 0o777).toBe(runsAsRoot() ? 0o711 : 0o700);
  });

  it("as root opens a 0700 data directory (as earlier versions made it) to traversal only; else keeps it", async () => {
    const dataDir = path.join(await scratch(), ".data");
    prepareDataDir(dataDir);
    await chmod(dataDir, 0o700);
    prepareDataDir(dataDir);
    expect((await stat(dataDir)).mode & 0o777).toBe(runsAsRoot() ? 0o711 : 0o700);
  });

  it("names the folder, the setting and the reason when it cannot be used, in one line", async () => {
    const file = path.join(await scratch(), "not-a-folder");
    await writeFile(file, "");
    let thrown: unknown;
    try {
      prepareDataDir(path.join(file, ".data"));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StartupError);
    const line = startupFailureLine(thrown);
    expect(line).toBe(
      `Keyward could not start: the data directory ${file}/.data (DATA_DIR) cannot be created: not a ` +
        `directory (ENOTDIR on mkdir). Hint: set DATA_DIR to a folder this user can write to, or fix the ` +
        `permissions of ${file}.`,
    );
    expect(line).not.toContain("\n");
  });
});

describe("prepareDataDir as root", () => {
  it("refuses a folder another user may write to, and keeps one root owns", async () => {
    const dataDir = path.join(await scratch(), ".data");
    prepareDataDir(dataDir);
    await chmod(dataDir, 0o777);
    // As root the open folder is refused; an ordinary user's own folder is theirs to open.
    if (runsAsRoot()) expect(() => prepareDataDir(dataDir)).toThrow(/owned by uid 0 with mode 777/);
    else expect(prepareDataDir(dataDir)).toBe(dataDir);
    await chmod(dataDir, 0o711);
    expect(prepareDataDir(dataDir)).toBe(dataDir);
  });
});
