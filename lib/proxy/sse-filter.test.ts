import { describe, expect, it } from "vitest";
import { AddedUsageFilter } from "./sse-filter";

const head = '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[';
const withUsage = [
  `data: ${head}{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null}\n\n`,
  `data: ${head}{"index":0,"delta":{"content":"lo \\"usage\\":null"},"finish_reason":null}],"usage":null}\n\n`,
  `data: ${head}{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}\n\n`,
  `data: ${head}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}\n\n`,
  "data: [DONE]\n\n",
].join("");
// What OpenAI sends for the same request without stream_options.include_usage.
const without = [
  `data: ${head}{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}\n\n`,
  `data: ${head}{"index":0,"delta":{"content":"lo \\"usage\\":null"},"finish_reason":null}]}\n\n`,
  `data: ${head}{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`,
  "data: [DONE]\n\n",
].join("");

function run(pieces: Buffer[]): string {
  const filter = new AddedUsageFilter();
  let out = "";
  for (const piece of pieces) out += filter.push(piece).toString();
  return out + filter.end().toString();
}

describe("AddedUsageFilter", () => {
  it("gives the stream OpenAI sends without include_usage", () => {
    expect(run([Buffer.from(withUsage)])).toBe(without);
  });

  it("gives the same stream however the upstream's chunks split it, even inside a UTF-8 character", () => {
    const bytes = Buffer.from(withUsage.replace("Hel", "Hé🙂l"));
    const expected = without.replace("Hel", "Hé🙂l");
    for (let size = 1; size < 40; size += 3) {
      const pieces: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
      expect(run(pieces)).toBe(expected);
    }
  });

  it("passes on what a stream cut mid-event had", () => {
    expect(run([Buffer.from(`${withUsage.slice(0, 200)}`)])).toBe(withUsage.slice(0, 200).replace(',"usage":null', ""));
  });
});
