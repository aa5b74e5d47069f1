// Graceful SIGTERM: an open stream finishes, and usage metered since the last batch is written, not lost.
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { proxyHarness } = await import("./testing/proxy-harness");

// 80 ms between chunks: a stream takes ~0.8 s, so SIGTERM lands while it is open.
const harness = proxyHarness({ chunkDelayMs: 80, logLevel: "info", routeHandlers: true });
const meteredRequests = async () =>
  (await db().keyUsage.findMany({ where: { teamId: harness.seeded.team.id } })).reduce((sum, r) => sum + r.requests, 0);

describe("SIGTERM", () => {
  it("lets open streams finish and flushes metered usage", async () => {
    const sdk = new OpenAI({ baseURL: `${harness.app.url}/v1`, apiKey: harness.seeded.full, maxRetries: 0 });
    for (let i = 0; i < 3; i++)
      await sdk.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    const stream = await sdk.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    let text = "";
    const reading = (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const stopped = harness.app.stop(); // SIGTERM while the stream is open
    await reading;
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
