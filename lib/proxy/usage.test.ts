import { describe, expect, it } from "vitest";
import { promptTextBytes, StreamUsageScanner, usageFromJson } from "./usage";

describe("usage", () => {
  it("reads chat and responses usage from JSON answers, nested details included", () => {
    const chat = JSON.stringify({
      id: "x",
      choices: [{ message: { content: 'the word "usage" in content' } }],
      usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 3 } },
    });
    expect(usageFromJson(chat)).toEqual({ promptTokens: 12, completionTokens: 7 });
    expect(usageFromJson(JSON.stringify({ output: [], usage: { input_tokens: 5, output_tokens: 9 } }))).toEqual({
      promptTokens: 5,
      completionTokens: 9,
    });
    expect(usageFromJson(JSON.stringify({ object: "list", data: [] }))).toBeNull();
    expect(usageFromJson(Buffer.from(chat))).toEqual({ promptTokens: 12, completionTokens: 7 });
    expect(usageFromJson(Buffer.from(JSON.stringify({ data: [] })))).toBeNull();
  });

  it("finds the usage chunk in a stream even when it is split across chunks", () => {
    const scanner = new StreamUsageScanner();
    const sse =
      'data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2}}\n\ndata: [DONE]\n\n';
    for (const part of [sse.slice(0, 60), sse.slice(60, 90), sse.slice(90)]) scanner.push(Buffer.from(part));
    expect(scanner.usage).toEqual({ promptTokens: 4, completionTokens: 2 });
  });

  it("reads the usage object, not the usage:null of every chat chunk, split anywhere", () => {
    const chunk = (content: string) =>
      `data: {"id":"c","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}}}],"usage":null}\n\n`;
    const sse =
      chunk('the "usage":{"prompt_tokens":999} in content') +
      chunk("é — ünïcode") +
      'data: {"id":"c","choices":[],"usage": {"prompt_tokens":4,"completion_tokens":2}}\r\n\r\n' +
      "data: [DONE]\n\n";
    const bytes = Buffer.from(sse);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const scanner = new StreamUsageScanner();
      scanner.push(bytes.subarray(0, cut));
      scanner.push(bytes.subarray(cut));
      expect(scanner.usage, `cut at ${cut}`).toEqual({ promptTokens: 4, completionTokens: 2 });
    }
    const scanner = new StreamUsageScanner();
    for (const byte of bytes) scanner.push(Buffer.from([byte]));
    expect(scanner.usage).toEqual({ promptTokens: 4, completionTokens: 2 });
  });

  it("meters a responses stream whose completed event is a multi-megabyte line", () => {
    const text = "word ".repeat(400_000); // 2 MB of output in the final event
    const completed = `event: response.completed\ndata: ${JSON.stringify({ type: "response.completed", response: { output: [{ content: [{ text }] }], usage: { input_tokens: 7, output_tokens: 500_000 } } })}\n\n`;
    const bytes = Buffer.from(
      `event: response.created\ndata: {"type":"response.created","response":{"usage":null}}\n\n${completed}`,
    );
    const scanner = new StreamUsageScanner();
    for (let at = 0; at < bytes.length; at += 16_384) scanner.push(bytes.subarray(at, at + 16_384));
    expect(scanner.usage).toEqual({ promptTokens: 7, completionTokens: 500_000 });
  });

  it("skips a line longer than it keeps, without holding it, and reads the lines after it", () => {
    const huge = Buffer.alloc(17 * 1024 * 1024, "x");
    const feed = (after: string) => {
      const scanner = new StreamUsageScanner();
      scanner.push(Buffer.from('data: {"usage":{"prompt_tokens":1,"completion_tokens":1},"pad":"'));
      for (let at = 0; at < huge.length; at += 1024 * 1024) scanner.push(huge.subarray(at, at + 1024 * 1024));
      scanner.push(Buffer.from(`"}\n\n${after}`));
      return scanner.usage;
    };
    expect(feed("data: [DONE]\n\n")).toBeNull();
    expect(feed('data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":5}}\n\n')).toEqual({
      promptTokens: 3,
      completionTokens: 5,
    });
  });

  it("estimates a stream cut before its usage event: prompt at 4 bytes a token, a token per data event", () => {
    const scanner = new StreamUsageScanner();
    const chunk = (content: string) =>
      `data: {"choices":[{"delta":{"content":${JSON.stringify(content)}}}],"usage":null}\n\n`;
    scanner.push(Buffer.from(chunk("") + chunk("Hello") + chunk(" there")));
    scanner.push(Buffer.from(chunk("!")));
    expect(scanner.usage).toBeNull();
    expect(scanner.usageOrEstimate(400)).toEqual({ promptTokens: 100, completionTokens: 4 });
    scanner.push(
      Buffer.from('data: {"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3}}\n\ndata: [DONE]\n\n'),
    );
    expect(scanner.usageOrEstimate(400)).toEqual({ promptTokens: 9, completionTokens: 3 });
    expect(new StreamUsageScanner().usageOrEstimate(400)).toBeNull();
  });

  it("counts only data fields that start a line, not the text 'data: {' inside content", () => {
    const scanner = new StreamUsageScanner();
    const frame = `data: {"choices":[{"delta":{"content":${JSON.stringify('see\ndata: {"x":1}')}}}]}\n\n`;
    scanner.push(Buffer.from(frame.repeat(3)));
    expect(scanner.usageOrEstimate(0)).toEqual({ promptTokens: 0, completionTokens: 3 });
  });

  it("prompt text for an estimate leaves out inline data and uploads", () => {
    const image = `data:image/png;base64,${"A".repeat(400_000)}`;
    const body = Buffer.from(
      JSON.stringify({
        model: "gpt-4o",
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "what is this?" },
              { type: "image_url", image_url: { url: image } },
            ],
          },
        ],
      }),
    );
    expect(promptTextBytes(body, "application/json")).toBeLessThan(200);
    const bare = Buffer.from(JSON.stringify({ input: "hi", file_data: "QUJD".repeat(1000) }));
    expect(promptTextBytes(bare, "application/json")).toBeLessThan(40);
    expect(promptTextBytes(Buffer.alloc(25_000_000), "multipart/form-data; boundary=x")).toBe(0);
  });
});
