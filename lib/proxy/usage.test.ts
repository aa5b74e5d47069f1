import { describe, expect, it } from "vitest";
import { StreamUsageScanner, usageFromJson } from "./usage";

describe("usage", () => {
  it("reads chat and responses usage from JSON answers, nested details included", () => {
    const chat = JSON.stringify({ id: "x", choices: [{ message: { content: 'the word "usage" in content' } }], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 3 } } });
    expect(usageFromJson(chat)).toEqual({ promptTokens: 12, completionTokens: 7 });
    expect(usageFromJson(JSON.stringify({ output: [], usage: { input_tokens: 5, output_tokens: 9 } }))).toEqual({ promptTokens: 5, completionTokens: 9 });
    expect(usageFromJson(JSON.stringify({ object: "list", data: [] }))).toBeNull();
    expect(usageFromJson(Buffer.from(chat))).toEqual({ promptTokens: 12, completionTokens: 7 });
    expect(usageFromJson(Buffer.from(JSON.stringify({ data: [] })))).toBeNull();
  });

  it("finds the usage chunk in a stream even when it is split across chunks", () => {
    const scanner = new StreamUsageScanner();
    const sse = 'data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2}}\n\ndata: [DONE]\n\n';
    for (const part of [sse.slice(0, 60), sse.slice(60, 90), sse.slice(90)]) scanner.push(Buffer.from(part));
    expect(scanner.usage).toEqual({ promptTokens: 4, completionTokens: 2 });
  });
});
