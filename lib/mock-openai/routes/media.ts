// POST /v1/images/generations and POST /v1/audio/speech: tiny fixed payloads in the formats OpenAI returns.
import { z } from "zod";
import { parseBody, sendJson } from "../http";
import { nowSeconds, type MockContext } from "../types";

// A 1×1 transparent PNG.
const TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const imagesSchema = z.looseObject({
  prompt: z.string().min(1),
  model: z.string().optional(),
  n: z.number().int().min(1).max(10).nullish(),
  response_format: z.enum(["url", "b64_json"]).nullish(),
});

export function generateImages(ctx: MockContext): void {
  const body = parseBody(ctx, imagesSchema);
  if (!body) return;
  const image =
    body.response_format === "url"
      ? { url: "https://images.mock.invalid/1x1.png", revised_prompt: body.prompt }
      : { b64_json: TINY_PNG };
  sendJson(ctx.res, 200, { created: nowSeconds(), data: Array.from({ length: body.n ?? 1 }, () => image) });
}

const AUDIO_TYPES = {
  mp3: "audio/mpeg",
  opus: "audio/opus",
  aac: "audio/aac",
  flac: "audio/flac",
  wav: "audio/wav",
  pcm: "audio/pcm",
} as const;

const speechSchema = z.looseObject({
  model: z.string(),
  input: z.string().min(1),
  voice: z.union([z.string(), z.looseObject({ id: z.string() })]),
  response_format: z.enum(["mp3", "opus", "aac", "flac", "wav", "pcm"]).optional(),
});

// An MPEG audio frame header followed by silence: enough bytes for a client to treat as a file.
const AUDIO_BYTES = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(28)]);

export function createSpeech(ctx: MockContext): void {
  const body = parseBody(ctx, speechSchema);
  if (!body || ctx.res.destroyed) return;
  ctx.res.writeHead(200, {
    "content-type": AUDIO_TYPES[body.response_format ?? "mp3"],
    "content-length": AUDIO_BYTES.length,
  });
  ctx.res.end(AUDIO_BYTES);
}
