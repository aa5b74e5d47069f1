// The upstream side: node:http(s) with a keep-alive agent (fetch costs ~3x more per request here, see
// ENVIRONMENT.md). Resolves on the response's headers; the body is the caller's to stream.
import http from "node:http";
import https from "node:https";
import type { Aborter } from "./aborter";

export type UpstreamRequest = {
  method: string;
  /** The path after /v1, with the query string: "/chat/completions". */
  path: string;
  headers: http.OutgoingHttpHeaders;
  body: Buffer | null;
  /** Until the response headers arrive. */
  timeoutMs: number;
  /** Fires when our client goes away: the upstream request is aborted too. */
  aborter: Aborter;
};

export class UpstreamError extends Error {
  constructor(readonly kind: "connect" | "timeout" | "aborted") {
    super(`upstream ${kind}`);
  }
}

/**
 * By shape, not instanceof: the runtime (and its client) may come from another copy of this module — Next's
 * server bundle and the fast path load separate module graphs in one process and share one runtime.
 */
export function upstreamErrorKind(error: unknown): UpstreamError["kind"] | null {
  const kind = (error as { kind?: unknown } | null)?.kind;
  return kind === "connect" || kind === "timeout" || kind === "aborted" ? kind : null;
}

const SWEEP_MS = 100;

/**
 * Header deadlines for every request in flight, checked by one timer every 100 ms instead of a timer per
 * request (arming and clearing one costs more than the rest of the bookkeeping). A deadline fires at most
 * 100 ms late; the timer runs only while requests wait and never keeps the process alive.
 */
export class Deadlines {
  private readonly pending = new Set<{ at: number; fire: () => void }>();
  private timer: NodeJS.Timeout | null = null;

  add(ms: number, fire: () => void): { at: number; fire: () => void } {
    const entry = { at: Date.now() + ms, fire };
    this.pending.add(entry);
    if (!this.timer) this.timer = setInterval(() => this.sweep(Date.now()), SWEEP_MS).unref();
    return entry;
  }

  remove(entry: { at: number; fire: () => void }): void {
    this.pending.delete(entry);
  }

  sweep(now: number): void {
    for (const entry of this.pending) {
      if (entry.at > now) continue;
      this.pending.delete(entry);
      entry.fire();
    }
    if (this.pending.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  get size(): number {
    return this.pending.size;
  }
}

export type UpstreamClient = { request(req: UpstreamRequest): Promise<http.IncomingMessage>; close(): void };

export function createUpstreamClient(baseUrl: string): UpstreamClient {
  const url = new URL(baseUrl);
  const secure = url.protocol === "https:";
  // No cap on concurrent sockets: a cap would queue streams beyond it (1,000 open streams must all flow).
  const agentOptions = { keepAlive: true, maxSockets: Infinity, maxFreeSockets: 512 };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const basePath = url.pathname.replace(/\/+$/, "");
  const request = secure ? https.request : http.request;
  const deadlines = new Deadlines();
  return {
    request: (req) =>
      new Promise((resolve, reject) => {
        if (req.aborter.aborted) return reject(new UpstreamError("aborted"));
        const outgoing = request({
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port || (secure ? 443 : 80),
          method: req.method,
          path: basePath + req.path,
          headers: req.headers,
          agent,
        });
        const deadline = deadlines.add(req.timeoutMs, () => outgoing.destroy(new UpstreamError("timeout")));
        const onAbort = () => outgoing.destroy(new UpstreamError("aborted"));
        req.aborter.on(onAbort);
        outgoing.once("response", (response) => {
          deadlines.remove(deadline);
          // The body may still be streaming: a client abort must keep reaching upstream until it ends.
          response.once("close", () => req.aborter.off(onAbort));
          resolve(response);
        });
        outgoing.once("error", (error) => {
          deadlines.remove(deadline);
          req.aborter.off(onAbort);
          reject(error instanceof UpstreamError ? error : new UpstreamError("connect"));
        });
        outgoing.end(req.body ?? undefined);
      }),
    close: () => agent.destroy(),
  };
}
