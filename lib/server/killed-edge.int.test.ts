// `kill -9` of the edge process, which gives it no chance to stop anything: its web process must not linger,
// and the embedded PostgreSQL it left running must not run forever: the next start takes it over, and stops it
// when it stops itself.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { rm } from "node:fs/promises";
import OpenAI from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findFreePort } from "@/lib/db/embedded-location";
import { makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { startMockOpenAI, type MockOpenAI } from "@/lib/mock-openai/server";
import { groupAlive, startApp } from "@/lib/testing/app-process";
import {
  embeddedAppEnv,
  embeddedDatabaseUrl,
  isRunning,
  postmasterPid,
  withDatabase,
} from "@/lib/testing/embedded-app";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { seedProxyTeam } = await import("@/lib/proxy/testing/seed-proxy");

let mock: MockOpenAI;
const cleanup: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  mock = await startMockOpenAI({});
});
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  await mock?.close();
});

it(
  "after kill -9 of the edge, the web process writes its usage and exits, and the next start stops the PostgreSQL left behind",
  { timeout: 300_000 },
  async () => {
    const dataDir = await makeEmbeddedTempDir("keyward-killed-edge-");
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await findFreePort();
    const pgPort = await findFreePort();
    // Route handlers: then the web process meters the proxy's usage, and has some to write when the edge dies.
    const env = embeddedAppEnv({ dataDir, port, pgPort, upstream: mock.baseUrl, fastPath: "off" });
    const killed = await startApp(env, port, { timeoutMs: 150_000 });
    cleanup.push(() => killed.stop());
    const url = await embeddedDatabaseUrl(dataDir);
    const seeded = await withDatabase(url, () => seedProxyTeam());
    const sdk = new OpenAI({ baseURL: `${killed.url}/v1`, apiKey: seeded.full, maxRetries: 0 });
    for (let i = 0; i < 2; i++)
      await sdk.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });

    const left = await postmasterPid(dataDir);
    if (left === null) throw new Error("the app's PostgreSQL has no postmaster.pid");
    // Should this test fail half-way, the server left behind is not left to run on.
    cleanup.push(async () => void ((await isRunning(left)) && process.kill(left, "SIGQUIT")));

    const exited = once(killed.child, "exit");
    process.kill(killed.child.pid ?? 0, "SIGKILL"); // the edge alone, not its group
    await exited;
    // The web process notices that the edge is gone (its IPC channel closes) and leaves: nothing of the
    // app's process group is left. PostgreSQL, in a group of its own, is: nobody told it to stop.
    await expect.poll(() => groupAlive(killed.child.pid), { timeout: 30_000 }).toBe(false);
    expect(await isRunning(left)).toBe(true);

    // The next start on the same data directory (ready: it serves), where the usage the web process had
    // metered is found (written on its way out, while the database still ran).
    const next = await startApp({ ...env, PROXY_FAST_PATH: "on" }, port, { timeoutMs: 150_000 });
    cleanup.push(() => next.stop());
    expect(next.output()).toContain("left running by a Keyward that is gone");
    const metered = await withDatabase(url, () => db().keyUsage.findMany({ where: { teamId: seeded.team.id } }));
    expect(metered.reduce((sum, row) => sum + row.requests, 0)).toBe(2);

    // Its own shutdown stops the database too: no postmaster for this data directory runs any more.
    expect(await next.stop()).toBe(0);
    expect(next.output()).toContain('"msg":"stopped"');
    expect(await isRunning(left)).toBe(false);
    const pid = await postmasterPid(dataDir);
    expect(pid === null || !(await isRunning(pid))).toBe(true);
    expect(groupAlive(next.child.pid)).toBe(false);
  },
);
