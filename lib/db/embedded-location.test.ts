import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { StartupError } from "@/lib/server/startup-error";
import { choosePort, firstClosedFolder, isPortFree } from "./embedded-location";

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("firstClosedFolder", () => {
  it("names the topmost folder others cannot enter, since opening a lower one would not help", async () => {
    const top = await mkdtemp(path.join(tmpdir(), "keyward-closed-")); // 0700, like mktemp -d
    made.push(top);
    const inner = path.join(top, "clone", "sub");
    await mkdir(inner, { recursive: true });
    await chmod(path.join(top, "clone"), 0o700);
    expect(await firstClosedFolder(inner)).toEqual({ folder: top, mode: 0o700 });
    await chmod(top, 0o755);
    expect(await firstClosedFolder(inner)).toEqual({ folder: path.join(top, "clone"), mode: 0o700 });
    await chmod(path.join(top, "clone"), 0o711);
    expect(await firstClosedFolder(inner)).toBeNull();
  });
});

describe("choosePort", () => {
  it("keeps a free remembered port, and refuses a taken explicit one by name", async () => {
    const { createServer } = await import("node:net");
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (typeof address !== "object" || !address) throw new Error("no address");
    try {
      expect(await isPortFree(address.port)).toBe(false);
      const moved = await choosePort({ remembered: address.port });
      expect(moved).not.toBe(address.port);
      await expect(choosePort({ explicit: address.port, remembered: moved })).rejects.toBeInstanceOf(StartupError);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await choosePort({ remembered: address.port })).toBe(address.port);
  });
});
