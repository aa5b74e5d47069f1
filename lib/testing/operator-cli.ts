// The operator CLI (`bin/keyward.mjs`) in its own process against this test file's database, with a
// temporary DATA_DIR made before the file's tests and removed after them: the way the CLI suites run it.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { runToExit } from "@/lib/testing/app-process";

const CLI = path.resolve("bin/keyward.mjs");

/** Registers the DATA_DIR's set-up and clean-up hooks; returns the runner and the directory (once set up). */
export function operatorCli(label: string) {
  let dataDir = "";
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), `keyward-cli-${label}-`));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));
  const keyward = (...args: string[]) =>
    runToExit(process.execPath, [CLI, ...args], {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL,
      AUTH_SECRET: "s".repeat(44),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    });
  return { keyward, dataDir: () => dataDir };
}
