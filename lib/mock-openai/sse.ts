// Server-sent events as OpenAI streams them: one frame per write, paced by chunkDelayMs, or cut by a reset.
import type { MockContext } from "./types";

const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" };

// Frames reach the wire before the reset: a reset that overtook them would test nothing mid-stream.
const RESET_AFTER_MS = 20;

export function dataFrame(json: string): string {
  return `data: ${json}\n\n`;
}

export function eventFrame(type: string, json: string): string {
  return `event: ${type}\ndata: ${json}\n\n`;
}

export function sendEvents(ctx: MockContext, frames: string[]): void {
  const { res } = ctx;
  if (res.destroyed) return;
  res.writeHead(200, SSE_HEADERS);
  if (ctx.reset) {
    res.write(frames.slice(0, 2).join(""), () => {
      setTimeout(() => res.socket?.resetAndDestroy(), Math.max(RESET_AFTER_MS, ctx.chunkDelayMs));
    });
    return;
  }
  // Without pacing the whole stream goes out in one write: that is what keeps the benchmark cheap.
  if (ctx.chunkDelayMs <= 0) {
    res.end(frames.join(""));
    return;
  }
  let index = 0;
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    if (res.destroyed) return;
    res.write(frames[index] as string);
    index += 1;
    if (index === frames.length) res.end();
    else timer = setTimeout(next, ctx.chunkDelayMs);
  };
  res.once("close", () => clearTimeout(timer));
  next();
}
