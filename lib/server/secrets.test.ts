import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOrCreateLocalSecrets } from "./secrets";

const NAMES = ["AUTH_SECRET", "ENCRYPTION_KEY"] as const;
let dir: string;
let saved: Record<string, string | undefined>;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "keyward-secrets-"));
  saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
  for (const name of NAMES) delete process.env[name];
});
afterEach(async () => {
  for (const name of NAMES) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await rm(dir, { recursive: true, force: true });
});

describe("loadOrCreateLocalSecrets", () => {
  it("creates them once, 0600, and a second start reads the same ones", async () => {
    const logged: string[] = [];
    loadOrCreateLocalSecrets(dir, (message) => logged.push(message));
    const first = { AUTH_SECRET: process.env.AUTH_SECRET, ENCRYPTION_KEY: process.env.ENCRYPTION_KEY };
    expect((await stat(path.join(dir, "secrets.json"))).mode & 0o777).toBe(0o600);
    expect(logged).toHaveLength(1);
    for (const name of NAMES) delete process.env[name];
    loadOrCreateLocalSecrets(dir, (message) => logged.push(message));
    expect({ AUTH_SECRET: process.env.AUTH_SECRET, ENCRYPTION_KEY: process.env.ENCRYPTION_KEY }).toEqual(first);
    expect(logged).toHaveLength(1);
    expect(JSON.parse(await readFile(path.join(dir, "secrets.json"), "utf8"))).toEqual(first);
  });

  it("calls a damaged file damaged, naming it and what to do", async () => {
    await writeFile(path.join(dir, "secrets.json"), '{"AUTH_SECRET": "trunc');
    expect(() => loadOrCreateLocalSecrets(dir, () => undefined)).toThrow(
      `${path.join(dir, "secrets.json")} is damaged. Hint: restore it from a backup`,
    );
  });
});
