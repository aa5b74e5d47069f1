// The upstream side: an undici Pool per upstream origin, kept-alive connections without a cap (a cap would
// queue streams). undici's request() skips most of node:http's per-request machinery (ClientRequest, the
// agent's socket bookkeeping): measured here, ~8 µs less CPU per proxied request, about 18% of a minimal
// proxy's. Resolves on the response's headers; the body is the caller's to stream.
import type { EventEmitter } from "node:events";
import type { Readable } from "node:stream";
import { Pool, type Dispatcher } from "undici";
import type { Aborter } from "./aborter";

export type UpstreamRequest = {
  method: string;
  /** The path after /v1, with the query string: "/chat/completions". */
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
  /** Until the response headers arrive. */
  timeoutMs: number;
  /** Fires when our client goes away: the upstream request is aborted too. */
  aborter: Aborter;
};

export type UpstreamResponse = {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** Destroying it aborts the upstream request. */
  body: Readable;
};

/**
 * "connect": nothing reached the upstream (safe to retry on another key); "reset": the connection failed
 * after the request may have been sent (never retried: the upstream may already have run and billed it).
 */
export class UpstreamError extends Error {
  constructor(readonly kind: "connect" | "reset" | "timeout" | "aborted") {
    super(`upstream ${kind}`);
  }
}

/**
 * By shape, not instanceof: the runtime (and its client) may come from another copy of this module (Next's
 * server bundle and code run from source are separate module graphs).
 */
export function upstreamErrorKind(error: unknown): UpstreamError["kind"] | null {
  const kind = (error as { kind?: unknown } | null)?.kind;
  return kind === "connect" || kind === "reset" || kind === "timeout" || kind === "aborted" ? kind : null;
}

// Failures of the connection itself, before any byte of the request left: retrying cannot double-spend.
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** undici's errors, by code. */
export function classifyUpstreamError(error: unknown): UpstreamError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "UND_ERR_HEADERS_TIMEOUT") return new UpstreamError("timeout");
  if (code === "UND_ERR_ABORTED") return new UpstreamError("aborted");
  if (typeof code === "string" && CONNECT_CODES.has(code)) return new UpstreamError("connect");
  return new UpstreamError("reset");
}

export type UpstreamClient = { request(req: UpstreamRequest): Promise<UpstreamResponse>; close(): Promise<void> };

/** `timeoutMs` bounds the wait for response headers, and the connect (at most 10 s) within it. */
export function createUpstreamClient(baseUrl: string, timeoutMs: number): UpstreamClient {
  const url = new URL(baseUrl);
  const pool = new Pool(url.origin, {
    connections: null, // no cap: 1,000 open streams must all flow
    pipelining: 1,
    keepAliveTimeout: 30_000,
    bodyTimeout: 0, // streams may pause for as long as the model thinks
    connect: { timeout: Math.min(10_000, timeoutMs) },
  });
  const basePath = url.pathname.replace(/\/+$/, "");
  return {
    request: async (req) => {
      if (req.aborter.aborted) throw new UpstreamError("aborted");
      try {
        const { statusCode, headers, body } = await pool.request({
          method: req.method as Dispatcher.HttpMethod, // any token; undici validates it
          path: basePath + req.path,
          headers: req.headers,
          body: req.body,
          headersTimeout: req.timeoutMs,
          signal: req.aborter as unknown as EventEmitter, // an EventEmitter as far as undici looks: see Aborter.once
        });
        return { statusCode, headers, body };
      } catch (error) {
        throw classifyUpstreamError(error);
      }
    },
    // At shutdown open requests have finished or been cut already: nothing left to wait for.
    close: () => pool.destroy(),
  };
}
