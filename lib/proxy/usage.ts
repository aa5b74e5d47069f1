// Token usage out of upstream answers, without buffering streams: JSON bodies carry `usage`; SSE streams
// carry it in their last data event (chat: with stream_options.include_usage; responses: response.completed).
export type Usage = { promptTokens: number; completionTokens: number };

type RawUsage = { prompt_tokens?: unknown; completion_tokens?: unknown; input_tokens?: unknown; output_tokens?: unknown };

function fromRaw(raw: RawUsage | undefined | null): Usage | null {
  if (!raw || typeof raw !== "object") return null;
  const prompt = Number(raw.prompt_tokens ?? raw.input_tokens ?? 0);
  const completion = Number(raw.completion_tokens ?? raw.output_tokens ?? 0);
  return Number.isFinite(prompt) && Number.isFinite(completion) ? { promptTokens: prompt, completionTokens: completion } : null;
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

/**
 * Watches SSE chunks as they pass and remembers the last usage it saw. Only lines that mention "usage" are
 * parsed; a line split across chunks is joined with the tail of the previous chunk.
 */
export class StreamUsageScanner {
  private tail = "";
  usage: Usage | null = null;

  push(chunk: Buffer): void {
    const text = this.tail + chunk.toString("utf8");
    const lastNewline = text.lastIndexOf("\n");
    if (lastNewline === -1) {
      this.tail = text.length > 65_536 ? "" : text;
      return;
    }
    this.tail = text.slice(lastNewline + 1);
    if (!text.includes("usage")) return;
    for (const line of text.slice(0, lastNewline).split("\n")) {
      if (!line.startsWith("data: {") || !line.includes('"usage"')) continue;
      try {
        const event = JSON.parse(line.slice(6)) as { usage?: RawUsage; response?: { usage?: RawUsage } };
        this.usage = fromRaw(event.usage ?? event.response?.usage) ?? this.usage;
      } catch {
        // not JSON after all: ignore
      }
    }
  }
}
