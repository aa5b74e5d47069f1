// Server-sent events as OpenAI streams them: one frame per write, paced by chunkDelayMs, cut by a reset,
// flooded, or held half-way until the test releases it.
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
  if (ctx.floodBytes > 0) return flood(ctx, frames);
  const held = ctx.state.held;
  if (held) {
    // Held (holdStreams): the first half now, in one write, and the rest only once the test releases it, so a
    // test knows for certain that the stream is open while it acts.
    const half = Math.ceil(frames.length / 2);
    const head = frames.slice(0, half).join("");
    ctx.record.streamedBytes += Buffer.byteLength(head);
    res.write(head);
    held.push(() => sendFrames(ctx, frames.slice(half)));
    return;
  }
  sendFrames(ctx, frames);
}

function sendFrames(ctx: MockContext, frames: string[]): void {
  const { res } = ctx;
  if (res.destroyed) return;
  // Without pacing the whole stream goes out in one write: that is what keeps the benchmark cheap.
  if (ctx.chunkDelayMs <= 0 || frames.length === 0) {
    const text = frames.join("");
    ctx.record.streamedBytes += Buffer.byteLength(text);
    res.end(text);
    return;
  }
  let index = 0;
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    if (res.destroyed) return;
    ctx.record.streamedBytes += Buffer.byteLength(frames[index] as string);
    res.write(frames[index] as string);
    index += 1;
    if (index === frames.length) res.end();
    else timer = setTimeout(next, ctx.chunkDelayMs);
  };
  res.once("close", () => clearTimeout(timer));
  next();
}

const FLOOD_FRAMES_PER_WRITE = 256;

/**
 * The first frame, then copies of the second (a content delta) until `floodBytes` went out, then the rest;
 * each write waits for the connection to take the previous one ('drain'), so `streamedBytes` tells how far
 * the reader on the other end let the stream go.
 */
function flood(ctx: MockContext, frames: string[]): void {
  const { res, record } = ctx;
  const filler = (frames[1] ?? frames[0] ?? "").repeat(FLOOD_FRAMES_PER_WRITE);
  const send = (text: string) => {
    record.streamedBytes += Buffer.byteLength(text);
    return res.write(text);
  };
  send(frames[0] ?? "");
  const next = () => {
    while (!res.destroyed) {
      if (record.streamedBytes >= ctx.floodBytes) {
        send(frames.slice(2).join(""));
        res.end();
        return;
      }
      if (!send(filler)) return void res.once("drain", next);
    }
  };
  next();
}
