// POST /v1/embeddings: small deterministic vectors (same input, same vector), as floats or base64 float32.
import { z } from "zod";
import { knownModel, parseBody, sendJson } from "../http";
import { tokensForChars } from "../reply";
import type { MockContext } from "../types";

const tokenArray = z.array(z.number().int());

const embeddingsSchema = z.looseObject({
  model: z.string(),
  input: z.union([z.string(), z.array(z.string()).min(1), tokenArray.min(1), z.array(tokenArray).min(1)]),
  // The SDK asks for base64 unless told otherwise, and decodes it back to floats.
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().min(1).max(3072).optional(),
});

// Small enough to be cheap, large enough that different inputs visibly differ.
const DEFAULT_DIMENSIONS = 8;

// FNV-1a over the input, then xorshift32: no dependency, same numbers on every run and machine.
function vectorFor(input: string, dimensions: number): Float32Array {
  let state = 0x811c9dc5;
  for (let i = 0; i < input.length; i += 1) state = Math.imul(state ^ input.charCodeAt(i), 0x01000193);
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    vector[i] = ((state >>> 0) / 0xffffffff) * 2 - 1;
  }
  return vector;
}

export function createEmbeddings(ctx: MockContext): void {
  const body = parseBody(ctx, embeddingsSchema);
  if (!body || !knownModel(ctx, body.model)) return;
  const { input } = body;
  // One string, several strings, one token array or several: normalised to a list of items.
  const items: (string | number[])[] =
    typeof input === "string"
      ? [input]
      : typeof input[0] === "number"
        ? [input as number[]]
        : (input as (string | number[])[]);
  let tokens = 0;
  const data = items.map((item, index) => {
    tokens += typeof item === "string" ? tokensForChars(item.length) : item.length;
    const vector = vectorFor(typeof item === "string" ? item : item.join(","), body.dimensions ?? DEFAULT_DIMENSIONS);
    const embedding =
      body.encoding_format === "base64" ? Buffer.from(vector.buffer).toString("base64") : Array.from(vector);
    return { object: "embedding", index, embedding };
  });
  sendJson(ctx.res, 200, {
    object: "list",
    data,
    model: body.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
