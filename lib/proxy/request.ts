// The canonical request: what the checks see is exactly what is forwarded. The path is parsed once (dot
// segments, encoded slashes, backslashes and empty segments are refused, never resolved or collapsed) and
// the scope is checked on that very string; the body is read the way the upstream reads it (JSON whatever
// the Content-Type says, multipart re-encoded from what was parsed), and the parameters that decide the cost
// are validated and priced at their worst case before anything is forwarded.
import { ERRORS, openAIError, type ProxyError } from "./errors";
import { costUsd, imagePriceUsd, priceOf } from "./pricing";

const invalidPath = openAIError(
  400,
  "Invalid request path: dot segments (. and ..), encoded slashes, backslashes and empty segments are not accepted.",
  "invalid_request_error",
  "invalid_path",
);

/** pchar of RFC 3986 without "%": a path made only of these needs no decoding. */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@]+)+$/;
const DOT_SEGMENT = /\/\.{1,2}(?=\/|$)/;
const FORBIDDEN = /[\\/\u0000-\u001f\u007f]/;

/** The path to check and forward, or a refusal. `raw` is the request target's path (no query). */
export function canonicalPath(raw: string): string | ProxyError {
  // The common case: nothing encoded, no dot segment. It is its own canonical form.
  if (PLAIN_PATH.test(raw)) return DOT_SEGMENT.test(raw) ? invalidPath : raw;
  if (!raw.startsWith("/")) return invalidPath;
  const segments = raw.slice(1).split("/");
  const out: string[] = [];
  for (const segment of segments) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return invalidPath; // malformed percent-encoding
    }
    if (decoded === "" || decoded === "." || decoded === ".." || FORBIDDEN.test(decoded)) return invalidPath;
    // One encoding for every spelling of the same segment, so the upstream cannot decode it differently.
    out.push(encodeURIComponent(decoded).replace(/%3A/g, ":").replace(/%40/g, "@"));
  }
  return `/${out.join("/")}`;
}

type BodyKind = "json" | "multipart" | "none";
type ModelRule = "required" | "optional" | { default: string };
type CostKind = "chat" | "responses" | "embeddings" | "images" | "speech" | "transcription" | "free";
type Spec = { body: BodyKind; model: ModelRule; cost: CostKind };

const POST_SPECS: Record<string, Spec> = {
  "/v1/chat/completions": { body: "json", model: "required", cost: "chat" },
  "/v1/responses": { body: "json", model: "required", cost: "responses" },
  "/v1/embeddings": { body: "json", model: "required", cost: "embeddings" },
  "/v1/images/generations": { body: "json", model: { default: "dall-e-2" }, cost: "images" },
  "/v1/images/edits": { body: "multipart", model: { default: "dall-e-2" }, cost: "images" },
  "/v1/images/variations": { body: "multipart", model: { default: "dall-e-2" }, cost: "images" },
  "/v1/audio/speech": { body: "json", model: "required", cost: "speech" },
  "/v1/audio/transcriptions": { body: "multipart", model: "required", cost: "transcription" },
  "/v1/audio/translations": { body: "multipart", model: "required", cost: "transcription" },
  "/v1/moderations": { body: "json", model: { default: "omni-moderation-latest" }, cost: "free" },
  "/v1/files": { body: "multipart", model: "optional", cost: "free" },
  "/v1/fine_tuning/jobs": { body: "json", model: "required", cost: "free" },
  "/v1/assistants": { body: "json", model: "required", cost: "free" },
};
const UPLOAD_PART = /^\/v1\/uploads\/[^/]+\/parts$/;

/** What a route reads and charges. Every other POST takes an optional JSON body, its `model` checked. */
export function routeSpec(method: string, path: string): Spec {
  if (method === "GET" || method === "HEAD" || method === "DELETE")
    return { body: "none", model: "optional", cost: "free" };
  const spec = POST_SPECS[path];
  if (spec) return spec;
  if (UPLOAD_PART.test(path)) return { body: "multipart", model: "optional", cost: "free" };
  return { body: "json", model: "optional", cost: "free" };
}

/** What a request may cost, decided before it is forwarded, and how its answer is metered. */
export type CostPlan =
  | { kind: "tokens"; model: string; promptTokens: number; maxOutputTokens: number }
  | { kind: "images"; model: string; images: number; unitUsd: number }
  | { kind: "speech"; model: string; chars: number }
  | { kind: "transcription"; model: string; audioBytes: number }
  | { kind: "free"; model: string };

export type Inspected = {
  model: string | null;
  /** The JSON body as parsed, when the route takes JSON. */
  json: Record<string, unknown> | null;
  /** What is forwarded: the bytes the checks saw, or their re-encoding. */
  body: Buffer;
  contentType: string | undefined;
  streaming: boolean;
  /** Keyward asked for the usage chunk on its own: it is read for metering and not passed on. */
  addedUsageChunk: boolean;
  plan: CostPlan;
};

const badParam = (param: string, message: string) =>
  openAIError(400, message, "invalid_request_error", "invalid_value", param);
const jsonOnly = openAIError(
  400,
  "This endpoint takes a JSON body (Content-Type: application/json).",
  "invalid_request_error",
  "invalid_content_type",
);
const bodyNotAllowed = openAIError(400, "This request takes no body.", "invalid_request_error", "invalid_request_body");
const missingModel = openAIError(
  400,
  "you must provide a model parameter",
  "invalid_request_error",
  "missing_required_parameter",
  "model",
);

/** Keys that decide what is checked or charged: a body naming one twice (or escaping it) is re-encoded. */
const DECISIVE = [
  "model",
  "stream",
  "stream_options",
  "n",
  "max_tokens",
  "max_completion_tokens",
  "max_output_tokens",
  "input",
  "size",
  "quality",
].map((key) => Buffer.from(`"${key}"`));
const ESCAPE = Buffer.from("\\u");

function isAmbiguous(raw: Buffer): boolean {
  if (raw.includes(ESCAPE)) return true;
  for (const key of DECISIVE) {
    const first = raw.indexOf(key);
    if (first !== -1 && raw.indexOf(key, first + key.length) !== -1) return true;
  }
  return false;
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function integerParam(value: unknown, param: string, min: number, max: number, fallback: number): number | ProxyError {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    return badParam(param, `Invalid '${param}': expected an integer from ${min} to ${max}.`);
  return value;
}

const optionalString = (value: unknown): string | null => (typeof value === "string" ? value : null);

type Fields =
  { json: Record<string, unknown>; form: null; reencode: boolean } | { json: null; form: FormData; reencode: true };

/** A JSON body, read the way the upstream reads it: whatever the Content-Type says, unless it is a form. */
function jsonFields(contentType: string | undefined, raw: Buffer): Fields | ProxyError {
  const type = mediaType(contentType);
  // Multipart or form fields on a JSON route: the upstream would read fields Keyward does not check.
  if (type === "multipart/form-data" || type === "application/x-www-form-urlencoded") return jsonOnly;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    return ERRORS.invalidJson;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return ERRORS.invalidJson;
  return { json: parsed as Record<string, unknown>, form: null, reencode: isAmbiguous(raw) };
}

const invalidMultipart = openAIError(
  400,
  "We could not parse the multipart body of your request.",
  "invalid_request_error",
  "invalid_multipart",
);

async function formFields(contentType: string, raw: Buffer): Promise<Fields | ProxyError> {
  try {
    const form = await new Response(new Uint8Array(raw), { headers: { "content-type": contentType } }).formData();
    return { json: null, form, reencode: true };
  } catch {
    return invalidMultipart;
  }
}

/**
 * Reads, checks and prices a request body. `allowsModel` is the key's allow-list; the model is checked here,
 * on the value that is forwarded. Synchronous but for multipart bodies (not on the hot path).
 */
export function inspectRequest(
  method: string,
  path: string,
  contentType: string | undefined,
  raw: Buffer,
  allowsModel: (model: string) => boolean,
): Inspected | ProxyError | Promise<Inspected | ProxyError> {
  const spec = routeSpec(method, path);
  if (spec.body === "none") {
    if (raw.length > 0) return bodyNotAllowed;
    const modelInPath = /^\/v1\/models\/([^/]+)$/.exec(path)?.[1];
    const model = modelInPath ? decodeURIComponent(modelInPath) : null;
    if (model !== null && !allowsModel(model)) return ERRORS.modelNotAllowed(model);
    return unpriced(model, raw, undefined);
  }
  if (raw.length === 0 && spec.model === "optional") return unpriced(null, raw, contentType);
  if (spec.body === "multipart" && mediaType(contentType) === "multipart/form-data")
    return formFields(contentType ?? "", raw).then((fields) =>
      "status" in fields ? fields : checkFields(spec, fields, raw, allowsModel),
    );
  const fields = jsonFields(contentType, raw);
  return "status" in fields ? fields : checkFields(spec, fields, raw, allowsModel);
}

function unpriced(model: string | null, body: Buffer, contentType: string | undefined): Inspected {
  return {
    model,
    json: null,
    body,
    contentType,
    streaming: false,
    addedUsageChunk: false,
    plan: { kind: "free", model: model ?? "" },
  };
}

function checkFields(
  spec: Spec,
  fields: Fields,
  raw: Buffer,
  allowsModel: (model: string) => boolean,
): Inspected | ProxyError | Promise<Inspected | ProxyError> {
  // One value per field: a multipart body naming a field twice is refused (parsers disagree on which wins).
  const get = (name: string): unknown => {
    if (fields.json) return fields.json[name];
    const all = fields.form.getAll(name);
    return all.length > 1 ? DUPLICATE : all[0];
  };
  // The model: one string, present where the route needs one, on the allow-list however it was sent.
  let model: string | null;
  let reencode = fields.reencode;
  const given = get("model");
  if (given === undefined || given === null) {
    if (spec.model === "required") return missingModel;
    if (typeof spec.model === "object") {
      model = spec.model.default;
      // Named in what is forwarded: the upstream's default may change, the checked model may not.
      if (fields.json) fields.json.model = model;
      else fields.form.set("model", model);
      reencode = true;
    } else model = null;
  } else if (typeof given === "string" && given.length > 0) model = given;
  else return badParam("model", "Invalid 'model': expected one non-empty string.");
  if (model !== null && !allowsModel(model)) return ERRORS.modelNotAllowed(model);

  const streamValue = get("stream");
  if (fields.json && streamValue !== undefined && streamValue !== null && typeof streamValue !== "boolean")
    return badParam("stream", "Invalid 'stream': expected a boolean.");
  const streaming = streamValue === true || streamValue === "true";

  const plan = costPlan(spec.cost, model ?? "", get, Math.ceil(raw.length / 4), fields.form);
  if ("status" in plan) return plan;

  // Streams of chat completions are metered from their usage chunk: asked for when the client did not.
  let addedUsageChunk = false;
  if (fields.json && streaming && spec.cost === "chat") {
    const options = fields.json.stream_options;
    if (options !== undefined && options !== null && (typeof options !== "object" || Array.isArray(options)))
      return badParam("stream_options", "Invalid 'stream_options': expected an object.");
    const asked = (options as { include_usage?: unknown } | null | undefined)?.include_usage;
    if (asked !== undefined && asked !== null && typeof asked !== "boolean")
      return badParam("stream_options", "Invalid 'stream_options.include_usage': expected a boolean.");
    if (asked !== true) {
      fields.json.stream_options = { ...(options as object | null | undefined), include_usage: true };
      addedUsageChunk = true;
      reencode = true;
    }
  }

  if (fields.json) {
    const body = reencode ? Buffer.from(JSON.stringify(fields.json)) : raw;
    return { model, json: fields.json, body, contentType: "application/json", streaming, addedUsageChunk, plan };
  }
  // Multipart is re-encoded from what was parsed: the upstream's parser cannot see other fields.
  const encoded = new Response(fields.form);
  const contentType = encoded.headers.get("content-type") ?? undefined;
  return encoded.arrayBuffer().then((bytes) => ({
    model,
    json: null,
    body: Buffer.from(bytes),
    contentType,
    streaming,
    addedUsageChunk,
    plan,
  }));
}

const DUPLICATE = Symbol("a field given more than once");

const MAX_N = 128;
const MAX_IMAGES = 10;
const MAX_SPEECH_CHARS = 4096;

function costPlan(
  cost: CostKind,
  model: string,
  get: (name: string) => unknown,
  promptTokens: number,
  form: FormData | null,
): CostPlan | ProxyError {
  // Multipart fields are strings: numbers are read from them as the upstream would.
  const number = (name: string): unknown => {
    const value = get(name);
    return form && typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  };
  switch (cost) {
    case "chat":
    case "responses": {
      const max = priceOf(model, "text").maxOutputTokens;
      const names = cost === "chat" ? ["max_completion_tokens", "max_tokens"] : ["max_output_tokens"];
      let limit = 0;
      for (const name of names) {
        const value = integerParam(number(name), name, 1, max, 0);
        if (typeof value !== "number") return value;
        limit = Math.max(limit, value);
      }
      const n = cost === "chat" ? integerParam(number("n"), "n", 1, MAX_N, 1) : 1;
      if (typeof n !== "number") return n;
      // No limit given: the model's largest answer, for each of the n choices.
      return { kind: "tokens", model, promptTokens, maxOutputTokens: (limit || max) * n };
    }
    case "embeddings":
      return { kind: "tokens", model, promptTokens, maxOutputTokens: 0 };
    case "images": {
      const n = integerParam(number("n"), "n", 1, MAX_IMAGES, 1);
      if (typeof n !== "number") return n;
      const unitUsd = imagePriceUsd(model, optionalString(get("size")), optionalString(get("quality")));
      return { kind: "images", model, images: n, unitUsd };
    }
    case "speech": {
      const input = get("input");
      if (typeof input !== "string" || input.length === 0 || input.length > MAX_SPEECH_CHARS)
        return badParam("input", `Invalid 'input': expected a string of 1 to ${MAX_SPEECH_CHARS} characters.`);
      return { kind: "speech", model, chars: input.length };
    }
    case "transcription": {
      const file = form?.get("file");
      const audioBytes = file && typeof file !== "string" ? file.size : 0;
      return { kind: "transcription", model, audioBytes };
    }
    case "free":
      return { kind: "free", model };
  }
}

// Transcription is charged per second of audio. Reserved at 16 kbit/s, the lowest bitrate speech is usually
// sent at (so a file holds at most that many seconds); estimated at 128 kbit/s (a common mp3) when the
// answer does not say how long the audio was.
const RESERVED_AUDIO_BYTES_PER_SECOND = 2_000;
const ESTIMATED_AUDIO_BYTES_PER_SECOND = 16_000;

/** The most the request can cost: what its budget reservation holds. Never negative. */
export function reservationUsd(plan: CostPlan): number {
  switch (plan.kind) {
    case "tokens":
      return costUsd(plan.model, plan.promptTokens, plan.maxOutputTokens);
    case "images":
      return plan.images * plan.unitUsd;
    case "speech":
      return (plan.chars * priceOf(plan.model, "speech").perMillionChars) / 1_000_000;
    case "transcription":
      return transcriptionUsd(plan.model, plan.audioBytes / RESERVED_AUDIO_BYTES_PER_SECOND);
    case "free":
      return 0;
  }
}

function transcriptionUsd(model: string, seconds: number): number {
  return (seconds / 60) * priceOf(model, "transcription").perMinute;
}

export type Metering = { promptTokens: number; completionTokens: number; costUsd: number; estimated: boolean };

/**
 * What an answered request cost: from the answer's usage when it has one, else estimated from the request
 * and the answer (`answer`: the JSON body when there was one).
 */
export function meterAnswer(
  plan: CostPlan,
  usage: { promptTokens: number; completionTokens: number } | null,
  answer: Buffer | null,
): Metering {
  if (usage && (usage.promptTokens > 0 || usage.completionTokens > 0))
    return { ...usage, costUsd: costUsd(plan.model, usage.promptTokens, usage.completionTokens), estimated: false };
  switch (plan.kind) {
    case "tokens": {
      // No usage (an upstream that does not report it): the prompt, and the answer's bytes as tokens.
      const completionTokens = plan.maxOutputTokens > 0 && answer ? Math.ceil(answer.length / 4) : 0;
      return {
        promptTokens: plan.promptTokens,
        completionTokens,
        costUsd: costUsd(plan.model, plan.promptTokens, completionTokens),
        estimated: true,
      };
    }
    case "images": {
      const made = answer ? countImages(answer) : null;
      const images = made ?? plan.images;
      return { promptTokens: 0, completionTokens: 0, costUsd: images * plan.unitUsd, estimated: true };
    }
    case "speech":
      return { promptTokens: 0, completionTokens: 0, costUsd: reservationUsd(plan), estimated: true };
    case "transcription": {
      const seconds = answer ? audioSeconds(answer) : null;
      return {
        promptTokens: 0,
        completionTokens: 0,
        costUsd: transcriptionUsd(plan.model, seconds ?? plan.audioBytes / ESTIMATED_AUDIO_BYTES_PER_SECOND),
        estimated: seconds === null,
      };
    }
    case "free":
      return { promptTokens: 0, completionTokens: 0, costUsd: 0, estimated: false };
  }
}

function countImages(answer: Buffer): number | null {
  try {
    const parsed = JSON.parse(answer.toString("utf8")) as { data?: unknown };
    return Array.isArray(parsed.data) ? parsed.data.length : null;
  } catch {
    return null;
  }
}

/** A transcription's length: `duration` (verbose_json) or `usage.seconds` (duration-billed models). */
function audioSeconds(answer: Buffer): number | null {
  const match = /"(?:duration|seconds)"\s*:\s*([\d.]+)/.exec(answer.toString("latin1"));
  const seconds = match ? Number(match[1]) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}
