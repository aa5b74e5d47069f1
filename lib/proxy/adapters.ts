// The two entry points onto the one core: node:http (the fast path in server.ts) and web Request/Response
// (the route handlers in app/). One runtime per process, shared by both through globalThis, so rate limits,
// budgets and caches are the same whichever path a request takes.
import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { PROXY_BODY_LIMIT_BYTES } from "@/lib/server/body-limits";
import { lingerAfterResponse } from "@/lib/server/linger";
import { Aborter } from "./aborter";
import { authorize, handleProxy, sendError, type ProxyHead, type ProxyRequest, type ProxySink } from "./core";
import type { CompiledKey } from "./key-cache";
import { ERRORS, type ProxyError } from "./errors";
import { metrics } from "./metrics";
import { canonicalPath } from "./request";
import { routeNeed, type RouteNeed } from "./routes";
import { createProxyRuntime, type ProxyRuntime } from "./runtime";

const MAX_BODY_BYTES = PROXY_BODY_LIMIT_BYTES; // audio uploads are the largest (25 MB at OpenAI)
const STREAM_BUFFER_BYTES = 64 * 1024; // what a route handler's answer queues before the upstream is paused

const holder = globalThis as unknown as { keywardProxy?: Promise<ProxyRuntime> };

export function proxyRuntime(): Promise<ProxyRuntime> {
  holder.keywardProxy ??= (() => {
    const config = env();
    return createProxyRuntime({
      databaseUrl: process.env.DATABASE_URL ?? "",
      upstreamBaseUrl: config.OPENAI_BASE_URL,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      stalledClientMs: config.STALLED_CLIENT_TIMEOUT_MS,
      maxCachedKeys: config.KEY_CACHE_MAX_KEYS,
      listen: config.KEY_CHANGE_LISTEN === "on",
    });
  })();
  return holder.keywardProxy;
}

export async function closeProxyRuntime(): Promise<void> {
  const runtime = holder.keywardProxy;
  holder.keywardProxy = undefined;
  await (await runtime)?.close();
}

function split(url: string): { path: string; search: string } {
  const q = url.indexOf("?");
  return q === -1 ? { path: url, search: "" } : { path: url.slice(0, q), search: url.slice(q) };
}

/**
 * node:http → core. `clientIp` was decided by the edge (socket, or trusted X-Forwarded-For). The body is read
 * only once the key and its scope are admitted, and never past MAX_BODY_BYTES.
 */
export function handleNode(runtime: ProxyRuntime, req: IncomingMessage, res: ServerResponse, clientIp: string): void {
  const aborter = new Aborter();
  const started = performance.now();
  const method = req.method ?? "GET";
  const { path: rawPath, search } = split(req.url ?? "/");
  // The scope is checked on exactly the path that is forwarded.
  const path = canonicalPath(rawPath);
  const need = typeof path === "string" ? routeNeed(method, path) : null;
  res.once("close", () => {
    if (!res.writableFinished) aborter.abort();
    observe(need, res.statusCode, started);
  });
  const sink: ProxySink = {
    writeHead: (status, headers) => void res.writeHead(status, headers),
    write: (chunk) => res.write(chunk),
    onDrain: (listener) => void res.once("drain", listener),
    end: (chunk) => void (chunk === undefined ? res.end() : res.end(chunk)),
    destroy: () => void res.destroy(),
    progress: () => res.socket?.bytesWritten ?? 0,
    aborter,
  };
  const declared = Number(req.headers["content-length"] ?? 0);
  // A refusal while a large or chunked body may still be coming closes the connection with a lingering
  // close: the rest of the body is read and dropped (bounded), so the client reads the refusal instead of
  // a reset (a small declared one, Node reads and drops, keeping the connection).
  const refuse = (error: ProxyError) => {
    lingerAfterResponse(req, res);
    sendError(sink, error);
  };
  if (typeof path !== "string") return refuse(path);
  const head: ProxyHead = { method, path, search, need, headers: req.headers, clientIp };
  if (declared > MAX_BODY_BYTES) return refuse(ERRORS.bodyTooLarge);
  const admit = (verdict: CompiledKey | ProxyError) => {
    if ("status" in verdict) return refuse(verdict);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off("data", onData);
      req.off("end", onEnd);
      refuse(ERRORS.bodyTooLarge);
    };
    const onEnd = () => {
      const request: ProxyRequest = {
        ...head,
        body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
      };
      handleProxy(runtime.deps, request, verdict, sink).catch((error: unknown) =>
        fail(error, sink, res.headersSent, () => res.destroy()),
      );
    };
    req.on("data", onData);
    req.once("end", onEnd);
  };
  const verdict = authorize(runtime.deps, head);
  if (verdict instanceof Promise)
    verdict.then(admit, (error: unknown) => fail(error, sink, res.headersSent, () => res.destroy()));
  else admit(verdict);
}

// prom-client resolves label objects on every call; its bound children are reused instead.
const children = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();

function observe(need: RouteNeed | null, status: number, started: number): void {
  const group = need?.group ?? "unknown";
  const id = `${group}|${status}`;
  let child = children.get(id);
  if (!child) {
    const m = metrics();
    child = { count: m.requests.labels(group, String(status)), time: m.latency.labels(group) };
    children.set(id, child);
  }
  child.count.inc();
  child.time.observe((performance.now() - started) / 1000);
}

function fail(error: unknown, sink: ProxySink, started: boolean, destroy: () => void): void {
  logger.error({ err: error }, "proxy request failed");
  if (started) destroy();
  else sendError(sink, ERRORS.internal);
}

/**
 * web Request → core → web Response (streamed: the Response resolves at the headers, chunks follow). As on
 * node:http, the body is read only once the key and its scope are admitted.
 */
export async function handleWeb(request: Request, pathPrefix: string, clientIp: string): Promise<Response> {
  const runtime = await proxyRuntime();
  const url = new URL(request.url);
  const aborter = new Aborter();
  request.signal.addEventListener("abort", () => aborter.abort(), { once: true });
  return new Promise<Response>((resolve) => {
    let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
    let started = false;
    // Closed by us (end) or by the reader (cancel: the client left); the controller throws after either.
    let closed = false;
    let drained: (() => void) | null = null;
    let pulls = 0;
    // Backpressure: up to STREAM_BUFFER_BYTES queued, then `write` says stop until Next's reader pulls again.
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (c) => void (controller = c),
        pull: () => {
          pulls++;
          const listener = drained;
          drained = null;
          listener?.();
        },
        cancel: () => {
          closed = true;
          aborter.abort();
        },
      },
      { highWaterMark: STREAM_BUFFER_BYTES, size: (chunk) => chunk.byteLength },
    );
    // Dot segments are resolved by the URL parser before this point; the rest is refused as on node:http.
    const path = canonicalPath(url.pathname.replace(pathPrefix, "/v1"));
    const head: ProxyHead = {
      method: request.method,
      path: typeof path === "string" ? path : "/",
      search: url.search,
      need: typeof path === "string" ? routeNeed(request.method, path) : null,
      headers: Object.fromEntries(request.headers.entries()),
      clientIp,
    };
    const startedAt = performance.now();
    const sink: ProxySink = {
      writeHead: (status, responseHeaders) => {
        started = true;
        observe(head.need, status, startedAt);
        resolve(new Response(stream, { status, headers: responseHeaders }));
      },
      write: (chunk) => {
        if (closed) return false;
        controller?.enqueue(typeof chunk === "string" ? new TextEncoder().encode(chunk) : new Uint8Array(chunk));
        return (controller?.desiredSize ?? 0) > 0;
      },
      onDrain: (listener) => void (drained = listener),
      end: (chunk) => {
        if (chunk !== undefined) sink.write(chunk);
        if (closed) return;
        closed = true;
        controller?.close();
      },
      destroy: () => {
        if (closed) return;
        closed = true;
        controller?.error(new Error("the client stopped reading"));
      },
      progress: () => pulls,
      aborter,
    };
    const run = async () => {
      if (typeof path !== "string") return sendError(sink, path);
      if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES)
        return sendError(sink, ERRORS.bodyTooLarge);
      const verdict = await authorize(runtime.deps, head);
      if ("status" in verdict) return sendError(sink, verdict);
      const body = await readLimited(request, MAX_BODY_BYTES);
      if (!body) return sendError(sink, ERRORS.bodyTooLarge);
      await handleProxy(runtime.deps, { ...head, body }, verdict, sink);
    };
    run().catch((error: unknown) => fail(error, sink, started, () => controller?.error(error)));
  });
}

/** The body, or null once it passes `limit` (reading stops there). */
async function readLimited(request: Request, limit: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}
