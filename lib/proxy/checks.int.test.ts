// The security probe's reproductions (issue 12), on both proxy entry points: the fast path in the edge and
// Next's route handlers (PROXY_FAST_PATH=off). Budgets hold against negative and missing token limits, the
// model allow-list holds whatever the Content-Type, the scope holds whatever the path's spelling, every
// endpoint group is metered, and streams and headers look as OpenAI sends them.
import { randomBytes } from "node:crypto";
import http from "node:http";
import OpenAI, { toFile } from "openai";
import { describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { proxyHarness } = await import("./testing/proxy-harness");
const { issueFor } = await import("./testing/management");

// A 5 s upstream timeout: longer than the mock's slow-start (2 s) that a leaving client waits for.
const harness = proxyHarness({
  chunkDelayMs: 0,
  logLevel: "warn",
  routeHandlers: true,
  env: { UPSTREAM_TIMEOUT_MS: "5000" },
});
const issue = (scopes: Parameters<typeof issueFor>[2]) => issueFor(harness.seeded, harness.seeded.user.id, scopes);

type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string };

/** A raw request: the path and headers go out exactly as written (fetch would normalise them). */
function raw(base: string, method: string, path: string, headers: Record<string, string>, body?: Buffer) {
  const { hostname, port } = new URL(base);
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
function codeOf(answer: Answer): string | null {
  try {
    return (JSON.parse(answer.text) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return `not JSON: ${answer.text.slice(0, 80)}`;
  }
}

/** Metered rows of a key, once the next batch (every 5 s) has written them. */
async function usageOf(keyId: string) {
  return (await db().keyUsage.findMany({ where: { keyId } })).map((r) => ({
    model: r.model,
    requests: r.requests,
    costMicros: Number(r.costMicros),
    estimated: r.estimatedRequests,
  }));
}

const ENTRY_POINTS = [
  ["the fast path", () => harness.app.url],
  ["the route handlers", () => harness.handlers.url],
] as const;

describe.each(ENTRY_POINTS)("through %s", (_name, base) => {
  const sdk = (apiKey: string) => new OpenAI({ baseURL: `${base()}/v1`, apiKey, maxRetries: 0, timeout: 15_000 });

  it("budgets hold against negative and missing max_tokens with 200 parallel callers", async () => {
    const { key } = await issue({ endpoints: { chat: "write" }, budget: { amountUsd: 0.05, period: "lifetime" } });
    const negative = await sdk(key)
      .chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], max_tokens: -1e9 })
      .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect(negative).toMatchObject({ status: 400, param: "max_tokens" });
    // Answers of 6,000 tokens when no limit is given: more than the old 4,096-token reservation.
    harness.mock.setCompletionTokens(6_000);
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, () =>
          sdk(key)
            .chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
            .then(
              (r) => r.usage,
              (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
            ),
        ),
      );
      const ok = results.filter((r): r is OpenAI.CompletionUsage => !!r && "total_tokens" in r);
      const refused = results.filter((r) => r instanceof OpenAI.APIError);
      expect(ok.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((e) => e.status === 429 && e.code === "insufficient_quota")).toBe(true);
      const cost = (u: OpenAI.CompletionUsage) => (u.prompt_tokens * 0.15 + u.completion_tokens * 0.6) / 1e6;
      const spent = ok.reduce((sum, u) => sum + cost(u), 0);
      expect(ok.every((u) => u.completion_tokens === 6_000)).toBe(true);
      expect(spent).toBeLessThanOrEqual(0.05 + Math.max(...ok.map(cost)));
    } finally {
      harness.mock.setCompletionTokens(null);
    }
  });

  it("the model allow-list holds whatever the Content-Type says", async () => {
    const { key } = await issue({ endpoints: { chat: "write" }, models: ["gpt-4o-mini*"] });
    const auth = { authorization: `Bearer ${key}` };
    const body = (model: string) => Buffer.from(JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }));
    const types = [
      "text/plain",
      "Application/JSON",
      "application/JSON; charset=utf-8",
      "application/vnd.api+json",
      "application/x-www-form-urlencoded",
      null,
    ];
    harness.mock.resetRequests();
    for (const type of types) {
      const headers = type === null ? auth : { ...auth, "content-type": type };
      const refused = await raw(base(), "POST", "/v1/chat/completions", headers, body("gpt-4o"));
      // A form is refused for what it is; every other spelling is read as JSON and its model checked.
      expect([type, refused.status, codeOf(refused)]).toEqual(
        type === "application/x-www-form-urlencoded"
          ? [type, 400, "invalid_content_type"]
          : [type, 404, "model_not_found"],
      );
      const allowed = await raw(base(), "POST", "/v1/chat/completions", headers, body("gpt-4o-mini"));
      expect([type, allowed.status]).toEqual([type, type === "application/x-www-form-urlencoded" ? 400 : 200]);
    }
    expect(harness.mock.requests.map((r) => r.model)).toEqual(Array(5).fill("gpt-4o-mini"));
    // A missing model is refused too.
    const missing = await raw(base(), "POST", "/v1/chat/completions", auth, Buffer.from('{"messages":[]}'));
    expect([missing.status, codeOf(missing)]).toEqual([400, "missing_required_parameter"]);
  });

  it("the endpoint scope holds however the path is spelled", async () => {
    const { key } = await issue({ endpoints: { chat: "write" } });
    const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const embeddings = Buffer.from(JSON.stringify({ model: "text-embedding-3-small", input: "hi" }));
    harness.mock.resetRequests();
    const variants: [method: string, path: string][] = [
      ["POST", "/v1/chat/completions/../../embeddings"],
      ["POST", "/v1/chat/completions/%2e%2e/%2E%2E/embeddings"],
      ["POST", "/v1/chat/completions/..%2f..%2fembeddings"],
      ["POST", "/v1/chat/completions%2f..%2f..%2fembeddings"],
      ["POST", "/v1/chat/completions/.%2e/.%2e/embeddings"],
      ["POST", "/v1/chat/completions\\..\\..\\embeddings"],
      ["POST", "/v1/chat/completions/./../../embeddings"],
      ["POST", "/v1//embeddings"],
      ["GET", "/v1/models/../files"],
      ["GET", "/v1/chat/completions/../../files"],
    ];
    for (const [method, path] of variants) {
      const answer = await raw(base(), method, path, auth, method === "POST" ? embeddings : undefined);
      // Refused as a path, or checked as the path it resolves to (which this key may not use), or
      // redirected there by Next (backslashes): nothing is forwarded.
      expect([path, answer.status, codeOf(answer)]).toSatisfy(
        ([, status, code]: [string, number, string | null]) =>
          (status === 400 && code === "invalid_path") ||
          (status === 308 && answer.headers.location === "/v1/embeddings") ||
          (status === 403 && code === "insufficient_permissions") ||
          (status === 404 && code === "unknown_url"),
      );
    }
    // Nothing reached the upstream: not as written, not normalised.
    expect(harness.mock.requests).toEqual([]);
    // The canonical spelling of a path the key may use still works, and is forwarded as checked.
    const chat = Buffer.from(JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }));
    expect((await raw(base(), "POST", "/v1/chat/completions", auth, chat)).status).toBe(200);
    expect(harness.mock.requests.map((r) => r.path)).toEqual(["/v1/chat/completions"]);
  });

  it("every endpoint group is metered: a usage row after each, charged where OpenAI charges", async () => {
    const audio = () => toFile(Buffer.alloc(48_000), "speech.mp3", { type: "audio/mpeg" });
    const calls: [group: string, paid: boolean, call: (client: OpenAI) => Promise<unknown>][] = [
      [
        "chat",
        true,
        (c) => c.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
      ],
      ["responses", true, (c) => c.responses.create({ model: "gpt-4o-mini", input: "hi" })],
      ["embeddings", true, (c) => c.embeddings.create({ model: "text-embedding-3-small", input: "hi" })],
      ["images", true, (c) => c.images.generate({ prompt: "a lighthouse", n: 2 })],
      [
        "audio",
        true,
        async (c) =>
          (await c.audio.speech.create({ model: "tts-1", input: "Hello there", voice: "alloy" })).arrayBuffer(),
      ],
      ["audio", true, async (c) => c.audio.transcriptions.create({ model: "whisper-1", file: await audio() })],
      ["moderations", false, (c) => c.moderations.create({ input: "hi" })],
      ["models", false, (c) => c.models.list()],
      ["files", false, (c) => c.files.list()],
      ["batches", false, (c) => c.batches.list()],
      ["fine_tuning", false, (c) => c.fineTuning.jobs.create({ model: "gpt-4o-mini", training_file: "file-abc" })],
      ["assistants", false, (c) => c.beta.assistants.create({ model: "gpt-4o-mini", name: "helper" })],
    ];
    const keys: { id: string; group: string; paid: boolean }[] = [];
    for (const [group, paid, call] of calls) {
      // One key per call, scoped to its group alone: its rows are that call's.
      const { id, key } = await issue({ endpoints: { [group]: "write" } });
      await call(sdk(key));
      keys.push({ id, group, paid });
    }
    for (const { id, group, paid } of keys) {
      await expect
        .poll(async () => {
          const rows = await usageOf(id);
          const requests = rows.reduce((sum, r) => sum + r.requests, 0);
          const charged = rows.reduce((sum, r) => sum + r.costMicros, 0) > 0;
          return { group, requests, charged };
        })
        .toEqual({ group, requests: 1, charged: paid });
    }
    // Answers without usage are marked as estimated: images, speech, and a transcription without a duration.
    const estimated = await Promise.all(keys.map(async (k) => (await usageOf(k.id))[0]?.estimated ?? 0));
    expect(estimated).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("a non-streamed request whose client left is read to its end and metered from its usage", async () => {
    const { id, key } = await issue({ endpoints: { chat: "write" } });
    harness.mock.resetRequests();
    harness.mock.setFault("slow-start"); // the answer's headers wait 2 s: the client leaves before them
    const controller = new AbortController();
    const request = sdk(key).chat.completions.create(
      { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
      { signal: controller.signal },
    );
    await expect.poll(() => harness.mock.requests.length).toBe(1);
    controller.abort();
    await expect(request).rejects.toThrow();
    await expect.poll(() => harness.mock.requests[0]?.closed).toBe(true);
    expect(harness.mock.requests[0]?.aborted).toBe(false); // Keyward read the answer to its end
    await expect
      .poll(() => usageOf(id))
      .toEqual([{ model: "gpt-4o-mini", requests: 1, costMicros: expect.any(Number), estimated: 0 }]);
    expect((await usageOf(id))[0]?.costMicros).toBeGreaterThan(0);
  });

  it("a stream looks as OpenAI sends it for the request the client made", async () => {
    const { key } = await issue({ endpoints: { chat: "write" } });
    const stream = (extra: Record<string, unknown>) =>
      raw(
        base(),
        "POST",
        "/v1/chat/completions",
        { authorization: `Bearer ${key}`, "content-type": "application/json" },
        Buffer.from(
          JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true, ...extra }),
        ),
      );
    const unasked = await stream({});
    expect(unasked.text).toMatch(/data: \[DONE\]\n\n$/);
    expect(unasked.text).not.toContain('"usage"');
    expect(unasked.text).not.toContain('"choices":[]');
    const asked = await stream({ stream_options: { include_usage: true } });
    expect(asked.text).toContain('"choices":[],"usage":{"prompt_tokens"');
    expect(asked.text).toContain('"usage":null');
  });

  it("OpenAI's own headers pass through; rate limits only where Keyward sets none", async () => {
    const { key } = await issue({ endpoints: { chat: "write" } });
    const limited = await issue({ endpoints: { chat: "write" }, limits: { rpm: 50 } });
    const body = Buffer.from(JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }));
    const call = (k: string) =>
      raw(
        base(),
        "POST",
        "/v1/chat/completions",
        { authorization: `Bearer ${k}`, "content-type": "application/json" },
        body,
      );
    const plain = await call(key);
    expect(plain.headers["x-request-id"]).toMatch(/^req_/);
    expect(plain.headers["openai-processing-ms"]).toBe("12");
    expect(plain.headers["x-ratelimit-limit-requests"]).toBe("10000");
    expect(plain.headers["x-ratelimit-limit-tokens"]).toBe("30000000");
    const own = await call(limited.key);
    expect(own.headers["x-ratelimit-limit-requests"]).toBe("50");
    expect(own.headers["x-ratelimit-reset-requests"]).toBeUndefined();
    expect(own.headers["x-ratelimit-limit-tokens"]).toBe("30000000");
  });
});
