// The proxy integration suites' shared set-up: the mock upstream, a seeded team with its keys, and the real
// server (server.ts) in front of them — started before the file's tests, stopped and removed after.
import { rm } from "node:fs/promises";
import { afterAll, beforeAll } from "vitest";
import { findFreePort, makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { startMockOpenAI, type MockOpenAI } from "@/lib/mock-openai/server";
import { startApp, type AppProcess } from "@/lib/testing/app-process";
import { seedProxyTeam } from "./seed-proxy";

export type ProxyHarness = { mock: MockOpenAI; app: AppProcess; seeded: Awaited<ReturnType<typeof seedProxyTeam>> };

/** Call at a test file's top level (ENCRYPTION_KEY and AUTH_SECRET must already be in process.env). */
export function proxyHarness(options: { chunkDelayMs: number; logLevel: string }): ProxyHarness {
  const harness = {} as ProxyHarness;
  let dataDir = "";
  beforeAll(async () => {
    harness.mock = await startMockOpenAI({ chunkDelayMs: options.chunkDelayMs });
    dataDir = await makeEmbeddedTempDir("keyward-proxy-");
    harness.seeded = await seedProxyTeam();
    const port = await findFreePort();
    harness.app = await startApp({ ...process.env, DATA_DIR: dataDir, OPENAI_BASE_URL: harness.mock.baseUrl, APP_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: options.logLevel, UPSTREAM_TIMEOUT_MS: "1500" }, port);
  }, 120_000);
  afterAll(async () => {
    await harness.app?.stop();
    await harness.mock?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return harness;
}
