// Conformance: the official openai SDK against Keyward — the fast path (the edge process, /v1 and /api/v1)
// and Next's route handlers (a server with PROXY_FAST_PATH=off), the same suite for each — with a member
// key, and every refusal with OpenAI's status and shape.
import { randomBytes } from "node:crypto";
import http from "node:http";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { proxyHarness } = await import("./testing/proxy-harness");
const { partialUpload, pausedReader, settled } = await import("@/lib/testing/paused-reader");

const harness = proxyHarness({ chunkDelayMs: 40, logLevel: "warn", routeHandlers: true });

type Path = "fast path /v1" | "fast path /api/v1" | "route handlers /v1" | "route handlers /api/v1";
const baseUrl = (path: Path) =>
  `${path.startsWith("fast") ? harness.app.url : harness.handlers.url}${path.split(" ").at(-1) ?? ""}`;
const client = (path: Path, apiKey: string) =>
  new OpenAI({ baseURL: baseUrl(path), apiKey, maxRetries: 0, timeout: 10_000 });

describe.each<Path>(["fast path /v1", "fast path /api/v1", "route handlers /v1", "route handlers /api/v1"])(
  "the openai SDK through the %s",
  (path) => {
    it("chat completion", async () => {
      const completion = await client(path, harness.seeded.full).chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "Say hello" }],
      });
      expect(completion.object).toBe("chat.completion");
      expect(completion.choices[0]?.message.content).toBeTruthy();
      expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    });

    it("streaming chat: chunks are relayed as they come, not once the stream has ended", async () => {
      // The mock sends the first half of the stream and holds the rest until release(): whatever reaches the
      // client before that was relayed while the upstream's stream was still open — an order, not a timing.
      const release = harness.mock.holdStreams();
      try {
        const stream = await client(path, harness.seeded.full).chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "Say hello" }],
          stream: true,
        });
        const chunks = stream[Symbol.asyncIterator]();
        let text = "";
        // The first half of the frames: the role chunk and the first five words.
        for (let i = 0; i < 6; i++) text += (await chunks.next()).value?.choices[0]?.delta.content ?? "";
        expect(text).toBe(harness.mock.replyText.split(" ").slice(0, 5).join(" "));
        expect(harness.mock.requests.at(-1)).toMatchObject({ stream: true, closed: false });
        release();
        for (let next = await chunks.next(); !next.done; next = await chunks.next())
          text += next.value.choices[0]?.delta.content ?? "";
        expect(text).toBe(harness.mock.replyText);
      } finally {
        release();
      }
    });

    it("a client that stops reading slows the upstream down instead of being buffered for", async () => {
      const FLOOD = 64 * 1024 * 1024;
      harness.mock.setFault("flood");
      const url = `${baseUrl(path)}/chat/completions`;
      const body = JSON.stringify({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "Say hello" }],
        stream: true,
        // Asked for, so the stream passes through byte for byte (unasked, Keyward takes its usage fields out).
        stream_options: { include_usage: true },
      });
      const reader = await pausedReader(url, { authorization: `Bearer ${harness.seeded.full}` }, body, 1).finally(() =>
        harness.mock.setFault(null),
      );
      try {
        const record = harness.mock.requests.findLast((r) => r.fault === "flood")!;
        // Without backpressure the proxy reads the whole flood into memory at loopback speed. With it, the
        // upstream stops once the sockets' kernel buffers (a few MB each) and the proxy's small queue are full.
        const stalled = await settled(() => record.streamedBytes);
        // (Kernel buffers vary by host: without backpressure the whole flood goes, so a wide margin is safe.)
        expect(stalled).toBeLessThan(FLOOD * 0.75);
        const { bytes, tail } = await reader.finish();
        expect(bytes).toBeGreaterThanOrEqual(FLOOD);
        expect(tail).toMatch(/data: \[DONE\]\n\n$/);
      } finally {
        reader.close();
      }
    });

    it("responses, JSON and streaming", async () => {
      const response = await client(path, harness.seeded.full).responses.create({
        model: "gpt-4o-mini",
        input: "Say hello",
      });
      expect(response.output_text).toBeTruthy();
      const events: string[] = [];
      const stream = await client(path, harness.seeded.full).responses.create({
        model: "gpt-4o-mini",
        input: "Say hello",
        stream: true,
      });
      for await (const event of stream) events.push(event.type);
      expect(events).toContain("response.output_text.delta");
      expect(events.at(-1)).toBe("response.completed");
    });

    it("embeddings", async () => {
      const result = await client(path, harness.seeded.full).embeddings.create({
        model: "text-embedding-3-small",
        input: ["a", "b"],
      });
      expect(result.data).toHaveLength(2);
    });

    it("models, filtered to the key's allow-list", async () => {
      const ids: string[] = [];
      for await (const model of client(path, harness.seeded.full).models.list()) ids.push(model.id);
      expect(ids.sort()).toEqual(["gpt-4o-mini", "text-embedding-3-large", "text-embedding-3-small"]);
    });

    it("refuses with OpenAI's statuses and error shape", async () => {
      const refusal = async (promise: Promise<unknown>) => {
        const error = await promise.then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(OpenAI.APIError);
        return error as InstanceType<typeof OpenAI.APIError>;
      };
      const chat = (apiKey: string, model = "gpt-4o-mini") =>
        client(path, apiKey).chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] });

      const unknown = await refusal(chat(harness.seeded.unknown));
      expect([unknown.status, unknown.code, unknown.type]).toEqual([401, "invalid_api_key", "invalid_request_error"]);
      expect((await refusal(chat(harness.seeded.tampered))).status).toBe(401);
      expect((await refusal(chat(harness.seeded.revoked))).status).toBe(401);
      expect((await refusal(chat(harness.seeded.expired))).status).toBe(401);
      const ip = await refusal(chat(harness.seeded.otherIp));
      expect([ip.status, ip.code]).toEqual([403, "ip_not_allowed"]);
      const scope = await refusal(
        client(path, harness.seeded.full).images.generate({ model: "gpt-image-1", prompt: "a cat" }),
      );
      expect([scope.status, scope.code]).toEqual([403, "insufficient_permissions"]);
      const model = await refusal(chat(harness.seeded.full, "gpt-4o"));
      expect([model.status, model.code, model.param]).toEqual([404, "model_not_found", "model"]);

      // A fresh key per path: two paths of one server share one rate limiter, so they must not share the key.
      const rpm2 = await harness.seeded.issue({ endpoints: { chat: "write" }, limits: { rpm: 2 } });
      await chat(rpm2);
      await chat(rpm2);
      const limited = await refusal(chat(rpm2));
      expect([limited.status, limited.code]).toEqual([429, "rate_limit_exceeded"]);
      expect(Number(limited.headers?.get("retry-after"))).toBeGreaterThan(0);
      expect(limited.headers?.get("x-ratelimit-limit-requests")).toBe("2");
    });
  },
);

describe.each<Path>(["fast path /v1", "route handlers /v1"])("request bodies through the %s", (path) => {
  const url = () => `${baseUrl(path)}/chat/completions`;
  const MB = 1024 * 1024;
  const error = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

  it("a caller without a valid key, or without the endpoint's scope, is refused before its body is read", async () => {
    // 20 MB declared, 64 KB sent: an answer can only come from the headers.
    const unknown = await partialUpload(
      url(),
      { authorization: `Bearer ${harness.seeded.unknown}` },
      20 * MB,
      64 * 1024,
    );
    expect([unknown.status, error(unknown.body)]).toEqual([401, "invalid_api_key"]);
    const missing = await partialUpload(url(), {}, 20 * MB, 64 * 1024);
    expect(missing.status).toBe(401);
    const scope = await partialUpload(
      `${baseUrl(path)}/images/generations`,
      { authorization: `Bearer ${harness.seeded.full}` },
      20 * MB,
      64 * 1024,
    );
    expect([scope.status, error(scope.body)]).toEqual([403, "insufficient_permissions"]);
  });

  it("a body over 32 MB is refused: at once when declared, as soon as it passes the limit when chunked", async () => {
    const auth = { authorization: `Bearer ${harness.seeded.full}` };
    const declared = await partialUpload(url(), auth, 33 * MB, 64 * 1024);
    expect([declared.status, error(declared.body)]).toEqual([413, "request_too_large"]);
    const chunked = await partialUpload(url(), auth, null, 33 * MB, 15_000);
    expect([chunked.status, error(chunked.body)]).toEqual([413, "request_too_large"]);
    // The key still works: a refusal changes nothing.
    expect(
      (
        await client(path, harness.seeded.full).chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "hi" }],
        })
      ).choices,
    ).toHaveLength(1);
  });
});

describe("connections after a refusal (the edge)", () => {
  it("a refused request with a small body keeps its connection; one with a large body still coming closes it", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const post = (body: string) =>
        new Promise<{ status: number; reused: boolean; connection: string | undefined }>((resolve, reject) => {
          const req = http.request(
            `${harness.app.url}/v1/chat/completions`,
            {
              method: "POST",
              agent,
              headers: { authorization: `Bearer ${harness.seeded.unknown}`, "content-type": "application/json" },
            },
            (res) => {
              res.resume();
              res.on("end", () =>
                resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, connection: res.headers.connection }),
              );
            },
          );
          req.on("error", reject);
          req.end(body);
        });
      const first = await post('{"model":"gpt-4o-mini"}');
      const second = await post('{"model":"gpt-4o-mini"}');
      expect([first.status, second.status, second.reused, second.connection]).toEqual([401, 401, true, "keep-alive"]);
      const large = await partialUpload(
        `${harness.app.url}/v1/chat/completions`,
        { authorization: `Bearer ${harness.seeded.unknown}` },
        20 * 1024 * 1024,
        64 * 1024,
      );
      expect([large.status, large.connection]).toEqual([401, "close"]);
    } finally {
      agent.destroy();
    }
  });
});

describe("which process answers", () => {
  const chatOk = async (url: string) => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(/keyward_proxy_requests_total\{group="chat",status="200"\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  it("the fast path is served by the edge process; PROXY_FAST_PATH=off by Next's route handlers", async () => {
    // With the fast path on, /metrics is the edge's own registry: requests relayed to Next would not count.
    const edgeBefore = await chatOk(harness.app.url);
    const handlersBefore = await chatOk(harness.handlers.url);
    for (const path of [
      "fast path /v1",
      "fast path /api/v1",
      "route handlers /v1",
      "route handlers /api/v1",
    ] as const) {
      await client(path, harness.seeded.full).chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "hi" }],
      });
    }
    expect(await chatOk(harness.app.url)).toBe(edgeBefore + 2);
    expect(await chatOk(harness.handlers.url)).toBe(handlersBefore + 2);
  });
});

describe("no detour around the edge", () => {
  it("a path that Next would normalise onto /v1 is refused by the route handlers while the edge owns the proxy", async () => {
    const raw = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(harness.app.url);
        const request = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: "POST",
            path,
            headers: { authorization: `Bearer ${harness.seeded.full}`, "content-type": "application/json" },
          },
          (response) => {
            let body = "";
            response.on("data", (chunk: Buffer) => (body += chunk.toString()));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
          },
        );
        request.on("error", reject);
        request.end(JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }));
      });
    for (const path of ["/x/../v1/chat/completions", "/x/../api/v1/chat/completions"]) {
      const answer = await raw(path);
      expect(answer.status, path).not.toBe(200);
      expect(answer.body, path).not.toContain("chat.completion");
    }
  });
});
