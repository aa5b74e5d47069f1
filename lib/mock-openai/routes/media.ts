// POST /v1/images/generations, /v1/audio/speech and /v1/audio/transcriptions: tiny fixed payloads in the
// formats OpenAI returns.
import { z } from "zod";
import { invalidRequest, parseBody, sendError, sendJson } from "../http";
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

/**
 * POST /v1/audio/transcriptions and /translations (multipart): the canned reply as the text. Plain `json`
 * answers carry no duration and no usage, as whisper-1's do; `verbose_json` adds the duration (1 s per 16 kB).
 */
export function transcribe(ctx: MockContext): void {
  const type = ctx.req.headers["content-type"] ?? "";
  void new Response(new Uint8Array(ctx.raw ?? Buffer.alloc(0)), { headers: { "content-type": type } }).formData().then(
    (form) => {
      const model = form.get("model");
      const file = form.get("file");
      if (typeof model !== "string" || !file || typeof file === "string")
        return sendError(ctx.res, 400, invalidRequest("'model' and 'file' are required.", "file"));
      ctx.record.model = model;
      const verbose = form.get("response_format") === "verbose_json";
      sendJson(ctx.res, 200, {
        text: ctx.reply.text,
        ...(verbose ? { task: "transcribe", language: "english", duration: file.size / 16_000 } : {}),
      });
    },
    () => sendError(ctx.res, 400, invalidRequest("Could not parse multipart form data.")),
  );
}
