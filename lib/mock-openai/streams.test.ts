// Paced and held streams of the mock OpenAI API: what the proxy's streaming tests rely on to show, by order
// rather than by timing, that chunks are relayed as they come.
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockOpenAI, type MockOpenAI } from "./server";

let mock: MockOpenAI;
let client: OpenAI;
const messages = [{ role: "user" as const, content: "Say hello to the test." }];

beforeAll(async () => {
  mock = await startMockOpenAI();
  client = new OpenAI({ apiKey: "sk-test-abcd", baseURL: mock.baseUrl, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.resetRequests());

describe("streams", () => {
  it("delivers paced chunks one by one (x-mock-chunk-delay-ms)", async () => {
    const delay = 40;
    const started = performance.now();
    const response = await fetch(`${mock.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-x", "x-mock-chunk-delay-ms": String(delay) },
      body: JSON.stringify({ model: "gpt-4o", messages, stream: true }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const reads: string[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read())
      reads.push(decoder.decode(read.value, { stream: true }));
    const elapsed = performance.now() - started;
    const frames = reads.join("").split(/(?<=\n\n)/);
    expect(frames).toHaveLength(1 + 8 + 1 + 1); // role, one per word, finish, [DONE]
    // Each frame is its own read: the mock runs in this process, and its next frame's timer cannot fire
    // before this event loop has read the frame already on the socket, however busy the machine is.
    expect(reads).toEqual(frames);
    // A lower bound only, the one sub-second duration asserted here on purpose: the mock waits `delay`
    // between frames and cannot send faster than its timers, so load can only lengthen the stream. (A bound
    // on each gap is not robust: a read that this process takes late shortens the gap after it.)
    expect(elapsed).toBeGreaterThanOrEqual(0.9 * (frames.length - 1) * delay);
  });

  it("holds streams half-way until released (holdStreams), and only those that started while held", async () => {
    const release = mock.holdStreams();
    const held = await client.chat.completions.create({ model: "gpt-4o", messages, stream: true });
    const chunks = held[Symbol.asyncIterator]();
    let text = "";
    // 11 frames (role, 8 words, finish, [DONE]): the first 6 come at once, the rest wait.
    for (let i = 0; i < 6; i++) text += (await chunks.next()).value?.choices[0]?.delta.content ?? "";
    expect(text).toBe(mock.replyText.split(" ").slice(0, 5).join(" "));
    const record = mock.requests[0]!;
    const sent = record.streamedBytes;
    // Nothing but release() sends the rest: a stream started meanwhile is held too, one after is not.
    const second = await client.chat.completions.create({ model: "gpt-4o", messages, stream: true });
    expect([record.streamedBytes, record.closed]).toEqual([sent, false]);
    release();
    for (let next = await chunks.next(); !next.done; next = await chunks.next())
      text += next.value.choices[0]?.delta.content ?? "";
    expect(text).toBe(mock.replyText);
    let secondText = "";
    for await (const chunk of second) secondText += chunk.choices[0]?.delta.content ?? "";
    expect(secondText).toBe(mock.replyText);
    const third = await client.chat.completions.create({ model: "gpt-4o", messages, stream: true });
    let thirdText = "";
    for await (const chunk of third) thirdText += chunk.choices[0]?.delta.content ?? "";
    expect(thirdText).toBe(mock.replyText);
    expect(mock.requests.map((r) => r.aborted)).toEqual([false, false, false]);
  });
});
