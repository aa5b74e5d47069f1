// Ctrl-C in a terminal (SIGINT to the whole process group) and SIGTERM to the group, with the embedded
// PostgreSQL the server owns: open streams finish, the edge and the web process write the usage they metered,
// and only then is the database stopped. On both proxy entry points: the edge's fast path, and Next's route
// handlers in the web process (PROXY_FAST_PATH=off).
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { rm } from "node:fs/promises";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "@/lib/db/embedded-location";
import { makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { startMockOpenAI, type MockOpenAI } from "@/lib/mock-openai/server";
import { refusesConnections, startApp } from "@/lib/testing/app-process";
import {
  embeddedAppEnv,
  embeddedDatabaseUrl,
  postmasterPid,
  withDatabase,
  withStoppedAppDatabase,
} from "@/lib/testing/embedded-app";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { seedProxyTeam } = await import("@/lib/proxy/testing/seed-proxy");

let mock: MockOpenAI;
const cleanup: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  // Paced chunks, so the stream's second half is still going out after the mock releases it.
  mock = await startMockOpenAI({ chunkDelayMs: 80 });
});
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  await mock?.close();
});

const meteredRequests = async (teamId: string) =>
  (await db().keyUsage.findMany({ where: { teamId } })).reduce((sum, row) => sum + row.requests, 0);

describe.each([
  ["SIGINT", "on"],
  ["SIGINT", "off"],
  ["SIGTERM", "on"],
  ["SIGTERM", "off"],
] as const)("%s to the process group, PROXY_FAST_PATH=%s, embedded database", (signal, fastPath) => {
  it(
    "finishes the open stream, writes every request's usage, then stops PostgreSQL",
    { timeout: 180_000 },
    async () => {
      const dataDir = await makeEmbeddedTempDir("keyward-group-signal-");
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const port = await findFreePort();
      const env = embeddedAppEnv({ dataDir, port, pgPort: await findFreePort(), upstream: mock.baseUrl, fastPath });
      const app = await startApp(env, port, { timeoutMs: 150_000 });
      cleanup.push(() => app.stop());
      const url = await embeddedDatabaseUrl(dataDir);
      const seeded = await withDatabase(url, () => seedProxyTeam());

      const sdk = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: seeded.full, maxRetries: 0 });
      for (let i = 0; i < 2; i++)
        await sdk.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
      // The mock holds the stream half-way until the server is shutting down: the signal lands while the
      // stream is open for certain, however slow the machine.
      const release = mock.holdStreams();
      const stream = await sdk.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      });
      const chunks = stream[Symbol.asyncIterator]();
      let text = "";
      for (let i = 0; i < 6; i++) text += (await chunks.next()).value?.choices[0]?.delta.content ?? "";

      // What a terminal does on Ctrl-C: the signal reaches every process of the group, the web process too.
      const exited = once(app.child, "exit");
      process.kill(-(app.child.pid ?? 0), signal);
      try {
        await expect.poll(() => refusesConnections(app.url), { timeout: 30_000 }).toBe(true);
      } finally {
        release();
      }
      for (let next = await chunks.next(); !next.done; next = await chunks.next())
        text += next.value.choices[0]?.delta.content ?? "";
      expect(text).toBe(mock.replyText);
      expect(await exited).toEqual([0, null]);
      expect(app.output()).toContain('"msg":"stopped"');
      expect(app.output()).not.toContain("usage flush failed");
      // PostgreSQL was stopped, cleanly (it removes its pid file last), by the server that owned it.
      expect(await postmasterPid(dataDir)).toBeNull();

      // Every request is in the table, the stream that ended during the shutdown included.
      expect(await withStoppedAppDatabase(dataDir, () => meteredRequests(seeded.team.id))).toBe(3);
    },
  );
});
