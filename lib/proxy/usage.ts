// Token usage out of upstream answers, without buffering streams: JSON bodies carry `usage`; SSE streams
// carry it in their last data event (chat: with stream_options.include_usage; responses: response.completed).
export type Usage = { promptTokens: number; completionTokens: number };

type RawUsage = {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  input_tokens?: unknown;
  output_tokens?: unknown;
};

function fromRaw(raw: RawUsage | undefined | null): Usage | null {
  if (!raw || typeof raw !== "object") return null;
  const prompt = Number(raw.prompt_tokens ?? raw.input_tokens ?? 0);
  const completion = Number(raw.completion_tokens ?? raw.output_tokens ?? 0);
  return Number.isFinite(prompt) && Number.isFinite(completion)
    ? { promptTokens: prompt, completionTokens: completion }
    : null;
}

const PROMPT = /"(?:prompt_tokens|input_tokens)":\s*(\d+)/;
const COMPLETION = /"(?:completion_tokens|output_tokens)":\s*(\d+)/;

/**
 * The usage of a JSON answer, read from its top-level "usage" object without parsing the whole body (this
 * runs on every answer). OpenAI puts `usage` last, after the content, so the last occurrence is the one.
 */
export function usageFromJson(body: string | Buffer): Usage | null {
  const at = body.lastIndexOf('"usage"');
  if (at === -1) return null;
  // From a Buffer, only the tail from "usage" on is decoded.
  const rest = typeof body === "string" ? body.slice(at) : body.toString("latin1", at);
  const prompt = PROMPT.exec(rest);
  const completion = COMPLETION.exec(rest);
  if (!prompt && !completion) return null;
  return { promptTokens: Number(prompt?.[1] ?? 0), completionTokens: Number(completion?.[1] ?? 0) };
}

// Inline data (base64 images, audio, files, as `data:` URLs or bare): not text a tokenizer would count.
const INLINE_DATA = /"(?:data:[^"]*|[A-Za-z0-9+/=\\]{1024,})"/g;

/**
 * The bytes of a request body that are prompt text, for an estimate: a JSON body without its inline data;
 * a multipart body (an upload: audio, a file) has none worth counting.
 */
export function promptTextBytes(body: Buffer, contentType: string | undefined): number {
  if (!contentType?.includes("json")) return 0;
  let bytes = body.length;
  for (const match of body.toString("latin1").matchAll(INLINE_DATA)) bytes -= match[0].length;
  return Math.max(0, bytes);
}

const USAGE_KEY = Buffer.from('"usage":');
const DATA_FIELD = Buffer.from("data:");
const NEWLINE = 0x0a;
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;
/**
 * The longest SSE line kept while it arrives in pieces. A responses stream's `response.completed` event
 * carries the whole answer and its usage on one line, so this is far above any answer's size: a line cut
 * here would go unmetered.
 */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Whether a JSON object starts at `at`, after optional spaces. */
function objectFollows(bytes: Buffer, at: number): boolean {
  while (bytes[at] === SPACE) at++;
  return bytes[at] === OPEN_BRACE;
}

/**
 * Watches SSE chunks as they pass and remembers the last usage it saw. It works on the bytes: only a line
 * whose "usage" is an object (not the `"usage":null` OpenAI puts on every chat chunk) is decoded and parsed,
 * so the chunks of a stream cost a byte search each and allocate nothing. A line split across chunks is
 * joined once it is complete.
 */
export class StreamUsageScanner {
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private overflowed = false;
  /** JSON data events seen: a chat stream sends about one token per event. */
  private events = 0;
  /** The previous chunk's last byte: a stream starts at a line start. */
  private lastByte = NEWLINE;
  usage: Usage | null = null;

  /**
   * The usage the stream reported or, when it ended without (the client left or the upstream was cut before
   * the usage event, or an upstream that ignores include_usage), an estimate: the prompt's text at 4 bytes a
   * token (`promptTextBytes`), one completion token per data event. Never zero for a stream that sent
   * something: a cut stream is still charged against its budget.
   */
  usageOrEstimate(promptBytes: number): Usage | null {
    if (this.usage) return this.usage;
    return this.events > 0 ? { promptTokens: Math.ceil(promptBytes / 4), completionTokens: this.events } : null;
  }

  push(chunk: Buffer): void {
    this.countEvents(chunk);
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline === -1) return this.keep(chunk);
    if (this.overflowed) {
      // The rest of a line too long to keep: skip to its end.
      this.overflowed = false;
      this.scan(chunk.subarray(chunk.indexOf(NEWLINE) + 1, lastNewline));
    } else if (this.partial.length > 0) {
      this.partial.push(chunk.subarray(0, lastNewline));
      this.scan(Buffer.concat(this.partial));
      this.dropPartial();
    } else {
      this.scan(chunk.subarray(0, lastNewline));
    }
    if (lastNewline + 1 < chunk.length) this.keep(chunk.subarray(lastNewline + 1));
  }

  /** `data:` fields that start a line (JSON strings hold no raw newline) and carry a JSON object. */
  private countEvents(chunk: Buffer): void {
    for (let at = chunk.indexOf(DATA_FIELD); at !== -1; at = chunk.indexOf(DATA_FIELD, at + DATA_FIELD.length)) {
      const before = at === 0 ? this.lastByte : chunk[at - 1];
      if (before === NEWLINE && objectFollows(chunk, at + DATA_FIELD.length)) this.events++;
    }
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1] as number;
  }

  private keep(piece: Buffer): void {
    if (this.overflowed) return;
    this.partialBytes += piece.length;
    if (this.partialBytes > MAX_LINE_BYTES) {
      this.overflowed = true;
      this.dropPartial();
      return;
    }
    // A copy: a view would keep the whole chunk it came from (up to a socket read) alive.
    this.partial.push(Buffer.from(piece));
  }

  private dropPartial(): void {
    this.partial = [];
    this.partialBytes = 0;
  }

  /** Complete lines: parses each one whose "usage" is an object. */
  private scan(lines: Buffer): void {
    let at = lines.indexOf(USAGE_KEY);
    while (at !== -1) {
      let next = at + USAGE_KEY.length;
      if (objectFollows(lines, next)) {
        const start = lines.lastIndexOf(NEWLINE, at) + 1;
        const end = lines.indexOf(NEWLINE, at);
        this.parse(lines.toString("utf8", start, end === -1 ? lines.length : end));
        if (end === -1) return;
        next = end;
      }
      at = lines.indexOf(USAGE_KEY, next);
    }
  }

  private parse(line: string): void {
    if (!line.startsWith("data:")) return;
    try {
      const event = JSON.parse(line.slice(5)) as { usage?: RawUsage; response?: { usage?: RawUsage } };
      this.usage = fromRaw(event.usage ?? event.response?.usage) ?? this.usage;
    } catch {
      // not JSON after all: ignore
    }
  }
}
