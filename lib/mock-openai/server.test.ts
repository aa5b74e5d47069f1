// The mock OpenAI API through the official SDK: if the SDK parses it, a gateway in front sees OpenAI's wire format.
import OpenAI, { NotFoundError, BadRequestError, toFile } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockOpenAI, type MockOpenAI } from "./server";

let mock: MockOpenAI;
let client: OpenAI;
const messages = [{ role: "user" as const, content: "Say hello to the test." }]; // 22 chars → 6 tokens

beforeAll(async () => {
  mock = await startMockOpenAI();
  client = new OpenAI({ apiKey: "sk-test-abcd", baseURL: mock.baseUrl, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.resetRequests());

describe("chat completions", () => {
  it("answers a JSON completion with the model echoed and deterministic usage", async () => {
    const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages });
    expect(completion).toMatchObject({
      object: "chat.completion",
      model: "gpt-4o-mini",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: mock.replyText } }],
    });
    expect(mock.replyText.split(" ")).toHaveLength(8);
    expect(completion.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 8, total_tokens: 14 });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(mock.requests).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/v1/chat/completions",
        model: "gpt-4o-mini",
        stream: false,
        fault: null,
        aborted: false,
        keyHint: "abcd",
      }),
    ]);
  });

  it("streams a role chunk, one chunk per word, a finish chunk, then a usage chunk when asked", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toHaveLength(1 + 8 + 1 + 1);
    expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: "assistant", content: "" });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(mock.replyText);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.at(-1)).toMatchObject({
      object: "chat.completion.chunk",
      choices: [],
      usage: { prompt_tokens: 6, completion_tokens: 8, total_tokens: 14 },
    });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(mock.requests[0]).toMatchObject({ model: "gpt-4o", stream: true, aborted: false });
  });

  it("sends no usage chunk without include_usage, and text/event-stream with [DONE] on the wire", async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: "gpt-4o", messages, stream: true })
      .withResponse();
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toHaveLength(10);
    expect(chunks.every((c) => !("usage" in c))).toBe(true);
    const raw = await fetch(`${mock.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-x" },
      body: JSON.stringify({ model: "gpt-4o", messages, stream: true }),
    });
    expect(await raw.text()).toMatch(/^data: \{.*\n\n(data: .*\n\n)+data: \[DONE\]\n\n$/s);
  });

  it("answers an unknown model with 404 model_not_found and bad JSON with 400", async () => {
    const error = await client.chat.completions.create({ model: "gpt-9", messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "model_not_found", type: "invalid_request_error" });
    const bad = await fetch(`${mock.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-x", "content-type": "application/json" },
      body: "{nope",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: "invalid_request_error", code: null } });
    const missing = await client.chat.completions.create({ model: "gpt-4o", messages: [] }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BadRequestError);
    expect(missing).toMatchObject({ status: 400, param: "messages" });
  });

  it("uses replyWords for the reply and its token count", async () => {
    const long = await startMockOpenAI({ replyWords: 20 });
    const sdk = new OpenAI({ apiKey: "sk-test", baseURL: long.baseUrl, maxRetries: 0 });
    const completion = await sdk.chat.completions.create({ model: "gpt-4o", messages });
    expect(completion.choices[0]?.message.content?.split(" ")).toHaveLength(20);
    expect(completion.usage?.completion_tokens).toBe(20);
    await long.close();
  });
});

describe("responses", () => {
  it("answers a JSON response whose output_text the SDK computes", async () => {
    const response = await client.responses.create({
      model: "gpt-4.1-mini",
      input: "Say hello to the test.",
      instructions: "Be brief",
    });
    expect(response).toMatchObject({
      object: "response",
      status: "completed",
      model: "gpt-4.1-mini",
      output_text: mock.replyText,
      usage: { input_tokens: 8, output_tokens: 8, total_tokens: 16 },
    });
    expect(response.output[0]).toMatchObject({
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: mock.replyText, annotations: [] }],
    });
    const raw = await fetch(`${mock.baseUrl}/responses`, {
      method: "POST",
      headers: { authorization: "Bearer sk-x" },
      body: JSON.stringify({ model: "gpt-4o", input: "hi" }),
    });
    expect(await raw.json()).not.toHaveProperty("output_text");
  });

  it("streams typed events with sequence numbers, one delta per word", async () => {
    const stream = await client.responses.create({
      model: "gpt-4o",
      input: [{ role: "user", content: "Say hello to the test." }],
      stream: true,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[0]?.type).toBe("response.created");
    const deltas = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : []));
    expect(deltas).toHaveLength(8);
    expect(deltas.join("")).toBe(mock.replyText);
    expect(events.find((e) => e.type === "response.output_text.done")).toMatchObject({ text: mock.replyText });
    const completed = events.at(-1);
    expect(completed?.type === "response.completed" && completed.response.usage).toMatchObject({
      input_tokens: 6,
      output_tokens: 8,
      total_tokens: 14,
    });
  });

  it("satisfies the SDK's stream helper, which rebuilds the response from the events", async () => {
    const final = await client.responses.stream({ model: "gpt-4o", input: "hi" }).finalResponse();
    expect(final.output_text).toBe(mock.replyText);
    expect(final.status).toBe("completed");
  });
});

describe("other endpoints", () => {
  it("lists and retrieves models", async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain("gpt-4o-mini");
    expect(await client.models.retrieve("gpt-4o")).toMatchObject({ id: "gpt-4o", object: "model" });
    await expect(client.models.retrieve("nope")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("embeds deterministically, as base64 (the SDK default) or floats", async () => {
    const decoded = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: ["same text", "other text"],
    });
    const floats = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: "same text",
      encoding_format: "float",
    });
    expect(decoded.data).toHaveLength(2);
    expect(decoded.data[0]?.embedding).toHaveLength(8);
    expect(Array.from(decoded.data[0]?.embedding ?? [])).toEqual(floats.data[0]?.embedding);
    expect(decoded.data[1]?.embedding).not.toEqual(decoded.data[0]?.embedding);
    expect(decoded.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
  });

  it("moderates without flagging", async () => {
    const moderation = await client.moderations.create({ model: "omni-moderation-latest", input: ["a", "b"] });
    expect(moderation.results.map((r) => r.flagged)).toEqual([false, false]);
    expect(moderation.results[0]?.categories.violence).toBe(false);
    expect(moderation).not.toHaveProperty("usage");
  });

  it("generates a tiny image and a few bytes of speech", async () => {
    const image = await client.images.generate({ model: "gpt-image-1", prompt: "a dot" });
    expect(
      Buffer.from(image.data?.[0]?.b64_json ?? "", "base64")
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
    const speech = await client.audio.speech.create({ model: "gpt-4o-mini-tts", voice: "alloy", input: "hello" });
    expect(speech.headers.get("content-type")).toBe("audio/mpeg");
    expect((await speech.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it("accepts a multipart file upload, lists it, and creates and lists batches", async () => {
    const file = await client.files.create({
      file: await toFile(Buffer.from('{"custom_id":"1"}\n'), "input.jsonl"),
      purpose: "batch",
    });
    expect(file).toMatchObject({ object: "file", filename: "input.jsonl", purpose: "batch" });
    const files = [];
    for await (const f of client.files.list()) files.push(f.id);
    expect(files).toContain(file.id);
    const batch = await client.batches.create({
      input_file_id: file.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
    });
    expect(batch).toMatchObject({ object: "batch", input_file_id: file.id, status: "validating" });
    expect(await client.batches.retrieve(batch.id)).toMatchObject({ id: batch.id });
    const batches = [];
    for await (const b of client.batches.list()) batches.push(b.id);
    expect(batches).toContain(batch.id);
  });

  it("keeps the key rules: invalid or revoked keys get 401 invalid_api_key", async () => {
    const revoked = new OpenAI({ apiKey: "sk-revoked-1234", baseURL: mock.baseUrl, maxRetries: 0 });
    await expect(revoked.chat.completions.create({ model: "gpt-4o", messages })).rejects.toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
  });
});
