// The proxy's behaviour with the real server and the mock upstream: revocation and removal on the very next
// request, budgets under 200 parallel callers, client aborts, upstream faults, retries, and a canary upstream
// key that must never show.
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { encryptSecret } = await import("@/lib/crypto/cipher");
const { addMember } = await import("@/lib/testing/seed");
const { proxyHarness } = await import("./testing/proxy-harness");
const { issueFor, managementKeyFor } = await import("./testing/management");
const { pausedReader } = await import("@/lib/testing/paused-reader");

const harness = proxyHarness({ chunkDelayMs: 30, logLevel: "debug", env: { STALLED_CLIENT_TIMEOUT_MS: "1500" } });
const sdk = (apiKey: string) =>
  new OpenAI({ baseURL: `${harness.app.url}/v1`, apiKey, maxRetries: 0, timeout: 10_000 });
const chat = (apiKey: string, extra: Record<string, unknown> = {}) =>
  sdk(apiKey).chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "hi" }],
    ...extra,
  } as OpenAI.ChatCompletionCreateParamsNonStreaming);
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
  );
const issue = (userId: string, scopes: Parameters<typeof issueFor>[2]) => issueFor(harness.seeded, userId, scopes);
const CHAT = { endpoints: { chat: "write" as const } };

const managementKey = () => managementKeyFor(harness.seeded);

describe("revocation", () => {
  it("a revoked key fails on the very next request", async () => {
    const { id, key } = await issue(harness.seeded.user.id, CHAT);
    const mgmt = await managementKey();
    expect((await chat(key)).choices.length).toBe(1); // cached now
    const revoke = await fetch(`${harness.app.url}/api/teams/${harness.seeded.team.slug}/keys/${id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${mgmt}` },
    });
    expect(revoke.status).toBe(204);
    expect((await errorOf(chat(key)))?.status).toBe(401);
  });

  it("a key revoked while a request's body is still arriving refuses that request", async () => {
    const { id, key } = await issue(harness.seeded.user.id, CHAT);
    const mgmt = await managementKey();
    expect((await chat(key)).choices.length).toBe(1); // cached now
    const body = Buffer.from(
      JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi".padEnd(200_000, ".") }] }),
    );
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        `${harness.app.url}/v1/chat/completions`,
        {
          method: "POST",
          agent: false,
          headers: {
            authorization: `Bearer ${key}`,
            "content-type": "application/json",
            "content-length": String(body.length),
          },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      // Headers and half the body (the key is admitted on the headers), then the revocation, then the rest.
      // The revocation starts once the first half has left this process (the write's callback), and reaches the
      // edge only after a round trip through the web process: by then the edge has long read the headers it had
      // on its socket first. Waiting for an event, not for a guessed number of milliseconds.
      const halfSent = new Promise<void>((sent) => req.write(body.subarray(0, body.length / 2), () => sent()));
      (async () => {
        await halfSent;
        const revoke = await fetch(`${harness.app.url}/api/teams/${harness.seeded.team.slug}/keys/${id}`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${mgmt}` },
        });
        if (revoke.status !== 204) throw new Error(`revoke answered ${revoke.status}`);
        req.end(body.subarray(body.length / 2));
      })().catch((error: unknown) => {
        req.destroy();
        reject(error);
      });
    });
    const { status, text } = await answer;
    expect([status, (JSON.parse(text) as { error: { code: string } }).error.code]).toEqual([401, "invalid_api_key"]);
  });

  it("removing the key's member takes effect on the very next request", async () => {
    const member = await db().user.create({
      data: { email: `m-${randomUUID()}@example.test`, name: "m", passwordHash: "x" },
    });
    const membershipId = await addMember(harness.seeded.team, member, "member");
    const { key } = await issue(member.id, CHAT);
    const mgmt = await managementKey();
    expect((await chat(key)).choices.length).toBe(1);
    expect(
      (
        await fetch(`${harness.app.url}/api/teams/${harness.seeded.team.slug}/members/${membershipId}`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${mgmt}` },
        })
      ).status,
    ).toBe(204);
    expect((await errorOf(chat(key)))?.status).toBe(401);
  });
});

describe("budgets", () => {
  it("200 parallel callers on a nearly spent key overshoot by at most one request", async () => {
    const { id, key } = await issue(harness.seeded.user.id, { ...CHAT, budget: { amountUsd: 0.01, period: "month" } });
    // Spent: all but $0.00005 of the month's cent (a handful of small requests).
    await db().keyUsage.create({
      data: {
        keyId: id,
        teamId: harness.seeded.team.id,
        day: new Date(),
        model: "gpt-4o-mini",
        requests: 1,
        costMicros: 9_950n,
      },
    });
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        chat(key, { max_tokens: 10 }).then(
          (r) => r.usage,
          (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
        ),
      ),
    );
    const ok = results.filter((r): r is OpenAI.CompletionUsage => !!r && "total_tokens" in r);
    const refused = results.filter((r) => r instanceof OpenAI.APIError);
    expect(ok.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.status === 429 && e.code === "insufficient_quota")).toBe(true);
    const cost = (u: OpenAI.CompletionUsage) => (u.prompt_tokens * 0.15 + u.completion_tokens * 0.6) / 1e6;
    const spent = 0.00995 + ok.reduce((sum, u) => sum + cost(u), 0);
    const largest = Math.max(...ok.map(cost));
    expect(spent).toBeLessThanOrEqual(0.01 + largest);
  });
});

describe("metering", () => {
  it("streams are metered with the upstream's own token counts (chat and responses)", async () => {
    const { id, key } = await issue(harness.seeded.user.id, { endpoints: { chat: "write", responses: "write" } });
    const chat = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hi" }], stream: true as const };
    // The client did not ask for usage: Keyward asks the upstream for it, and the client sees the stream
    // OpenAI would send it: no usage chunk, no `usage` field on any chunk.
    const unasked: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of await sdk(key).chat.completions.create(chat)) unasked.push(chunk);
    expect(unasked.length).toBeGreaterThan(2);
    expect(unasked.every((chunk) => !("usage" in chunk) && chunk.choices.length === 1)).toBe(true);
    // Asked for, it is passed on as is.
    let chatUsage: OpenAI.CompletionUsage | undefined;
    const asked = await sdk(key).chat.completions.create({ ...chat, stream_options: { include_usage: true } });
    for await (const chunk of asked) chatUsage = chunk.usage ?? chatUsage;
    let responsesUsage: OpenAI.Responses.ResponseUsage | undefined;
    const events = await sdk(key).responses.create({ model: "gpt-4o-mini", input: "hi", stream: true });
    for await (const event of events) if (event.type === "response.completed") responsesUsage = event.response.usage;
    expect(chatUsage?.completion_tokens).toBeGreaterThan(0);
    expect(responsesUsage?.output_tokens).toBeGreaterThan(0);
    // The same prompt twice: the unasked stream is metered with the upstream's counts too.
    const prompt = 2 * chatUsage!.prompt_tokens + responsesUsage!.input_tokens;
    const completion = 2 * chatUsage!.completion_tokens + responsesUsage!.output_tokens;
    // Written by the next batch (every 5 s).
    const row = async () =>
      (await db().keyUsage.findMany({ where: { keyId: id } })).map((r) => ({
        requests: r.requests,
        promptTokens: Number(r.promptTokens),
        completionTokens: Number(r.completionTokens),
        costMicros: r.costMicros > 0n,
      }));
    await expect
      .poll(row, { timeout: 10_000, interval: 250 })
      .toEqual([{ requests: 3, promptTokens: prompt, completionTokens: completion, costMicros: true }]);
  });
  it("a stream the client leaves before its usage event is still metered, from an estimate", async () => {
    const { id, key } = await issue(harness.seeded.user.id, CHAT);
    const controller = new AbortController();
    // The mock holds the second half of the stream, usage included, until the client has certainly left.
    const release = harness.mock.holdStreams();
    try {
      const stream = await sdk(key).chat.completions.create(
        { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true },
        { signal: controller.signal },
      );
      let chunks = 0;
      // As a client that stops at the first words would.
      await (async () => {
        for await (const _ of stream) if (++chunks === 3) controller.abort();
      })().catch(() => undefined);
      const record = harness.mock.requests.at(-1);
      await expect.poll(() => record?.aborted, { timeout: 10_000 }).toBe(true);
    } finally {
      release();
    }
    // The mock would report 1 prompt token for "hi"; the estimate counts the body's text (about 30).
    const row = async () =>
      (await db().keyUsage.findMany({ where: { keyId: id } })).map((r) => ({
        requests: r.requests,
        estimatedPrompt: Number(r.promptTokens) >= 20,
        completion: Number(r.completionTokens) >= 3,
        cost: r.costMicros > 0n,
      }));
    await expect
      .poll(row, { timeout: 10_000, interval: 250 })
      .toEqual([{ requests: 1, estimatedPrompt: true, completion: true, cost: true }]);
  });
});

describe("upstream behaviour", () => {
  it("a client abort reaches the upstream", async () => {
    const controller = new AbortController();
    const stream = await sdk(harness.seeded.full).chat.completions.create(
      { model: "gpt-4o-mini", messages: [{ role: "user", content: "a long story please" }], stream: true },
      { signal: controller.signal },
    );
    const reading = (async () => {
      for await (const _ of stream) controller.abort();
    })().catch(() => undefined);
    await reading;
    await expect
      .poll(() => harness.mock.requests.some((r) => r.path === "/v1/chat/completions" && r.aborted), {
        timeout: 10_000,
      })
      .toBe(true);
  });

  it("maps upstream faults to documented client-visible errors", async () => {
    harness.mock.setFault("429", 2); // the one upstream key is tried, fails, and there is no other
    const limited = await errorOf(chat(harness.seeded.full));
    expect([limited?.status, limited?.headers?.get("retry-after")]).toEqual([429, "2"]);
    harness.mock.setFault("500", 2);
    const failed = await errorOf(chat(harness.seeded.full));
    expect([failed?.status, failed?.code]).toEqual([500, "upstream_error"]);
    harness.mock.setFault("hang", 1);
    const hung = await errorOf(chat(harness.seeded.full));
    expect([hung?.status, hung?.code]).toEqual([504, "upstream_timeout"]);
    harness.mock.setFault("reset", 1);
    let text = "";
    const stream = await sdk(harness.seeded.full).chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    // Ends cleanly (the loop does not throw) with the part that arrived before the reset — not the whole reply.
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    const whole = (await chat(harness.seeded.full)).choices[0]?.message.content ?? "";
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(whole.length);
  });

  it("a client that reads nothing for STALLED_CLIENT_TIMEOUT_MS is cut, and the upstream request with it", async () => {
    harness.mock.setFault("flood");
    const body = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true });
    const requested = performance.now();
    const reader = await pausedReader(
      `${harness.app.url}/v1/chat/completions`,
      { authorization: `Bearer ${harness.seeded.full}` },
      body,
      1,
    ).finally(() => harness.mock.setFault(null));
    try {
      const record = harness.mock.requests.findLast((r) => r.fault === "flood")!;
      await expect.poll(() => record.aborted, { timeout: 10_000, interval: 100 }).toBe(true);
      // This server cuts after 1.5 s without a read (the default is 60 s), and its timer started after the
      // request was sent: a lower bound that load can only lengthen, measured from before the request.
      expect(performance.now() - requested).toBeGreaterThanOrEqual(1_000);
      await expect(reader.finish()).rejects.toThrow();
      const metricsText = await (await fetch(`${harness.app.url}/metrics`)).text();
      expect(metricsText).toMatch(/^keyward_proxy_stalled_clients_total 1$/m);
    } finally {
      reader.close();
    }
  });

  it("retries once on another upstream key and benches the failing one", async () => {
    const second = randomUUID();
    // Its last four characters (what the mock records) cannot be the first key's.
    const secondSecret = `sk-proj-${randomBytes(20).toString("hex")}-2nd`;
    await db().upstreamKey.create({
      data: {
        id: second,
        teamId: harness.seeded.team.id,
        name: "second",
        keyHint: "abcd",
        encryptedKey: encryptSecret(secondSecret, {
          purpose: "upstream_key",
          teamId: harness.seeded.team.id,
          rowId: second,
        }),
      },
    });
    // New upstream keys reach the proxy through the team's change notification: it has arrived once the mock
    // sees the second key (each request picks one of the two at random).
    await db()
      .$executeRaw`SELECT pg_notify('keyward_key_changes', ${JSON.stringify({ upstreamTeamId: harness.seeded.team.id })})`;
    const secondHint = secondSecret.slice(-4);
    await expect
      .poll(
        async () => {
          await chat(harness.seeded.full);
          return harness.mock.requests.some((r) => r.keyHint === secondHint);
        },
        { timeout: 20_000, interval: 0 },
      )
      .toBe(true);
    harness.mock.setFault("401", 1);
    const completion = await chat(harness.seeded.full);
    expect(completion.choices.length).toBe(1);
  });

  it("the team's upstream key never appears in a log line, an error body or a metrics label", async () => {
    const bodies: string[] = [];
    for (const fault of ["401", "429", "500"] as const) {
      harness.mock.setFault(fault, 2);
      const response = await fetch(`${harness.app.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${harness.seeded.full}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o-mini", messages: [] }),
      });
      bodies.push(await response.text());
    }
    const metricsText = await (await fetch(`${harness.app.url}/metrics`)).text();
    expect(metricsText).toContain("keyward_proxy_upstream_errors_total");
    const haystack = bodies.join("\n") + harness.app.output() + metricsText;
    expect(harness.app.output().length).toBeGreaterThan(100);
    for (const needle of [
      harness.seeded.upstreamSecret,
      harness.seeded.upstreamSecret.slice(8, 30),
      harness.seeded.upstreamSecret.slice(-12),
    ])
      expect(haystack).not.toContain(needle);
  });
});
