// The proxy integration suites' shared set-up: the mock upstream, a seeded team with its keys, and the real
// server (server.ts) in front of them — started before the file's tests, stopped and removed after.
// `routeHandlers: true` also starts a second server on the same database with PROXY_FAST_PATH=off, whose
// /v1 and /api/v1 are answered by Next's route handlers in its web process.
import { rm } from "node:fs/promises";
import { afterAll, beforeAll } from "vitest";
import { makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { findFreePort } from "@/lib/db/embedded-location";
import { startMockOpenAI, type MockOpenAI } from "@/lib/mock-openai/server";
import { startApp, type AppProcess } from "@/lib/testing/app-process";
import { seedProxyTeam } from "./seed-proxy";

export type ProxyHarness = {
  mock: MockOpenAI;
  app: AppProcess;
  handlers: AppProcess;
  seeded: Awaited<ReturnType<typeof seedProxyTeam>>;
};

/** Call at a test file's top level (ENCRYPTION_KEY and AUTH_SECRET must already be in process.env). */
export function proxyHarness(options: {
  chunkDelayMs: number;
  logLevel: string;
  routeHandlers?: boolean;
  env?: Record<string, string>;
  /** HOST for both servers (default 127.0.0.1). */
  host?: string;
}): ProxyHarness {
  const harness = {} as ProxyHarness;
  const dataDirs: string[] = [];
  const start = async (fastPath: "on" | "off") => {
    const dataDir = await makeEmbeddedTempDir("keyward-proxy-");
    dataDirs.push(dataDir);
    const port = await findFreePort();
    return startApp(
      {
        ...process.env,
        DATA_DIR: dataDir,
        OPENAI_BASE_URL: harness.mock.baseUrl,
        APP_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: options.logLevel,
        UPSTREAM_TIMEOUT_MS: "1500",
        ...options.env,
        PROXY_FAST_PATH: fastPath,
      },
      port,
      { host: options.host },
    );
  };
  beforeAll(async () => {
    harness.mock = await startMockOpenAI({ chunkDelayMs: options.chunkDelayMs });
    harness.seeded = await seedProxyTeam();
    harness.app = await start("on");
    if (options.routeHandlers) harness.handlers = await start("off");
  }, 180_000);
  afterAll(async () => {
    await harness.app?.stop();
    await harness.handlers?.stop();
    await harness.mock?.close();
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });
  return harness;
}
