// Graceful SIGTERM: an open stream finishes, and usage metered since the last batch is written, not lost.
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { refusesConnections } from "@/lib/testing/app-process";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { proxyHarness } = await import("./testing/proxy-harness");

// Paced chunks, so the stream's second half is still going out after the mock releases it.
const harness = proxyHarness({ chunkDelayMs: 80, logLevel: "info", routeHandlers: true });
const meteredRequests = async () =>
  (await db().keyUsage.findMany({ where: { teamId: harness.seeded.team.id } })).reduce((sum, r) => sum + r.requests, 0);

describe("SIGTERM", () => {
  it("lets open streams finish and flushes metered usage", async () => {
    const sdk = new OpenAI({ baseURL: `${harness.app.url}/v1`, apiKey: harness.seeded.full, maxRetries: 0 });
    for (let i = 0; i < 3; i++)
      await sdk.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    // The mock holds the stream half-way until the server is shutting down: SIGTERM lands while the stream
    // is open for certain, however slow the machine (no guessed delay before the signal).
    const release = harness.mock.holdStreams();
    const stream = await sdk.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const chunks = stream[Symbol.asyncIterator]();
    let text = "";
    for (let i = 0; i < 6; i++) text += (await chunks.next()).value?.choices[0]?.delta.content ?? ""; // the first half
    const stopped = harness.app.stop(); // SIGTERM while the stream is open
    try {
      // Shutting down: it no longer accepts connections, and still has the open stream to finish.
      await expect.poll(() => refusesConnections(harness.app.url), { timeout: 20_000 }).toBe(true);
    } finally {
      release();
    }
    for (let next = await chunks.next(); !next.done; next = await chunks.next())
      text += next.value.choices[0]?.delta.content ?? "";
    expect(await stopped).toBe(0);
    expect(text).toBe(harness.mock.replyText);

    // Nothing metered is lost: every request is in the table, including the stream that ended during the
    // shutdown (written by the shutdown flush, since the server is gone now).
    const rows = await db().keyUsage.findMany({ where: { teamId: harness.seeded.team.id } });
    expect(rows.reduce((sum, r) => sum + r.requests, 0)).toBe(4);
    expect(rows.every((r) => r.promptTokens > 0n && r.costMicros >= 0n)).toBe(true);
    expect(harness.app.output()).toContain('"msg":"stopped"');
  });

  it("with PROXY_FAST_PATH=off the web process proxies, and its metered usage is written at shutdown too", async () => {
    const before = await meteredRequests();
    const sdk = new OpenAI({ baseURL: `${harness.handlers.url}/v1`, apiKey: harness.seeded.full, maxRetries: 0 });
    for (let i = 0; i < 2; i++)
      await sdk.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(await harness.handlers.stop()).toBe(0); // well within the 5 s batch interval
    expect((await meteredRequests()) - before).toBe(2);
  });
});
