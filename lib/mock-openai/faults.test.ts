// Faults, delays and aborts of the mock OpenAI API, as the official SDK experiences them.
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  InternalServerError,
  RateLimitError,
} from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pausedReader, settled } from "@/lib/testing/paused-reader";
import { startMockOpenAI, type MockOpenAI } from "./server";

let mock: MockOpenAI;
let client: OpenAI;
const messages = [{ role: "user" as const, content: "hi" }];

beforeAll(async () => {
  mock = await startMockOpenAI();
  client = new OpenAI({ apiKey: "sk-test-abcd", baseURL: mock.baseUrl, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.resetRequests();
  mock.setFault(null);
});

// The delays asserted here are sub-second lower bounds, on purpose: the mock's timers cannot fire early, and a
// busy machine only makes the wait longer, so they hold however slow the machine is. (90%: Node's timers
// count whole milliseconds.) No test here bounds a duration from above.
const LATENCY_FLOOR = 0.9;
const chat = (headers: Record<string, string> = {}) =>
  client.chat.completions.create({ model: "gpt-4o", messages }, { headers });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe("faults by header", () => {
  it("401 is an AuthenticationError with code invalid_api_key", async () => {
    const error = await failure(chat({ "x-mock-fault": "401" }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "invalid_api_key" });
    expect(mock.requests[0]).toMatchObject({ fault: "401", model: "gpt-4o", aborted: false });
  });

  it("429 is a RateLimitError with retry-after and x-ratelimit-* headers", async () => {
    const error = await failure(chat({ "x-mock-fault": "429" }));
    expect(error).toBeInstanceOf(RateLimitError);
    const { status, code, headers } = error as RateLimitError;
    expect([status, code]).toEqual([429, "rate_limit_exceeded"]);
    expect(headers?.get("retry-after")).toBe("2");
    expect(headers?.get("x-ratelimit-remaining-requests")).toBe("0");
  });

  it("500 is an InternalServerError of type server_error", async () => {
    const error = await failure(chat({ "x-mock-fault": "500" }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, type: "server_error" });
  });

  it("hang never answers: the SDK times out and the request is recorded as aborted", async () => {
    // Only the SDK's own timer raises APIConnectionTimeoutError: that is the proof nothing was answered.
    const error = await failure(
      client.chat.completions.create(
        { model: "gpt-4o", messages },
        { headers: { "x-mock-fault": "hang" }, timeout: 300 },
      ),
    );
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    await expect.poll(() => mock.requests[0]?.aborted).toBe(true);
    expect(mock.requests[0]?.fault).toBe("hang");
  });

  it("reset on a JSON request drops the connection without an answer", async () => {
    const error = await failure(chat({ "x-mock-fault": "reset" }));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(mock.requests[0]).toMatchObject({ fault: "reset", aborted: false });
  });

  it("reset on a stream sends two chunks, then the SDK's iteration throws", async () => {
    const stream = await client.chat.completions.create(
      { model: "gpt-4o", messages, stream: true },
      { headers: { "x-mock-fault": "reset" } },
    );
    const received: string[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? "");
      })(),
    );
    expect(error).toBeInstanceOf(Error);
    expect(received).toEqual(["", "This"]);
    expect(mock.requests[0]).toMatchObject({ stream: true, fault: "reset", aborted: false });
  });

  it("slow-start holds the headers back for x-mock-latency-ms, then answers", async () => {
    const started = performance.now();
    const completion = await chat({ "x-mock-fault": "slow-start", "x-mock-latency-ms": "150" });
    // A lower bound only (the mock's timer cannot fire early, and load only adds to it): see LATENCY_FLOOR.
    expect(performance.now() - started).toBeGreaterThanOrEqual(150 * LATENCY_FLOOR);
    expect(completion.choices[0]?.message.content).toBe(mock.replyText);
    expect(mock.requests[0]?.fault).toBe("slow-start");
  });

  it("an unknown fault or delay header is a 400, not a silent success", async () => {
    await expect(chat({ "x-mock-fault": "explode" })).rejects.toMatchObject({ status: 400 });
    await expect(chat({ "x-mock-latency-ms": "soon" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("faults for the next N requests", () => {
  it("setFault fails exactly the next N requests, on any endpoint", async () => {
    mock.setFault("500", 2);
    await expect(chat()).rejects.toBeInstanceOf(InternalServerError);
    await expect(client.models.list()).rejects.toBeInstanceOf(InternalServerError);
    await expect(chat()).resolves.toMatchObject({ object: "chat.completion" });
    expect(mock.requests.map((r) => r.fault)).toEqual(["500", "500", null]);
  });

  it("POST /__mock/faults does the same for tests that cannot call setFault", async () => {
    const origin = mock.baseUrl.replace(/\/v1$/, "");
    const set = await fetch(`${origin}/__mock/faults`, {
      method: "POST",
      body: JSON.stringify({ fault: "429", times: 1 }),
    });
    expect(await set.json()).toEqual({ fault: "429", times: 1 });
    await expect(chat()).rejects.toBeInstanceOf(RateLimitError);
    await expect(chat()).resolves.toBeTruthy();
    const bad = await fetch(`${origin}/__mock/faults`, { method: "POST", body: JSON.stringify({ fault: "boom" }) });
    expect(bad.status).toBe(400);
    expect(mock.requests).toHaveLength(2); // control calls are not recorded
  });

  it("a fault header wins over the queue and leaves it for the next request", async () => {
    mock.setFault("500", 1);
    await expect(chat({ "x-mock-fault": "429" })).rejects.toBeInstanceOf(RateLimitError);
    await expect(chat()).rejects.toBeInstanceOf(InternalServerError);
  });
});

describe("latency and aborts", () => {
  it("x-mock-latency-ms delays the response, and the latencyMs option sets the default", async () => {
    let started = performance.now();
    await chat({ "x-mock-latency-ms": "120" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(120 * LATENCY_FLOOR);
    const slow = await startMockOpenAI({ latencyMs: 120 });
    const sdk = new OpenAI({ apiKey: "sk-test", baseURL: slow.baseUrl, maxRetries: 0 });
    started = performance.now();
    await sdk.models.list();
    expect(performance.now() - started).toBeGreaterThanOrEqual(120 * LATENCY_FLOOR);
    await slow.close();
  });

  it("records a client that goes away mid-stream as aborted", async () => {
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: "gpt-4o", messages, stream: true },
      { headers: { "x-mock-chunk-delay-ms": "50" }, signal: controller.signal },
    );
    let chunks = 0;
    for await (const _ of stream) {
      chunks += 1;
      if (chunks === 2) controller.abort();
    }
    expect(chunks).toBe(2);
    await expect.poll(() => mock.requests[0]?.aborted).toBe(true);
  });

  it("does not record a completed stream as aborted", async () => {
    const stream = await client.chat.completions.create(
      { model: "gpt-4o", messages, stream: true },
      { headers: { "x-mock-chunk-delay-ms": "5" } },
    );
    for await (const _ of stream) void _;
    // The client can see the end before the mock's response has closed: wait for that, then `aborted` is final.
    await expect.poll(() => mock.requests[0]?.closed).toBe(true);
    expect(mock.requests[0]).toMatchObject({ stream: true, aborted: false });
  });
});

describe("flood", () => {
  const FLOOD = 32 * 1024 * 1024;
  const headers = {
    authorization: "Bearer sk-test-abcd",
    "x-mock-fault": "flood",
    "x-mock-flood-bytes": String(FLOOD),
  };
  const body = JSON.stringify({ model: "gpt-4o", messages, stream: true, stream_options: { include_usage: true } });

  it("goes only as far as a paused reader lets it, then sends the whole stream once it reads again", async () => {
    const reader = await pausedReader(`${mock.baseUrl}/chat/completions`, headers, body, 1);
    try {
      const record = mock.requests[0]!;
      const stalled = await settled(() => record.streamedBytes);
      // What the two sockets' kernel buffers hold, and no more: far from the whole flood.
      expect(stalled).toBeLessThan(FLOOD * 0.75);
      const { bytes, tail } = await reader.finish();
      expect(bytes).toBeGreaterThanOrEqual(FLOOD);
      expect(record.streamedBytes).toBe(bytes);
      expect(tail).toMatch(/"usage":\{"prompt_tokens".*\n\ndata: \[DONE\]\n\n$/s);
    } finally {
      reader.close();
    }
  });
});
