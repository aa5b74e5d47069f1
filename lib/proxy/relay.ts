// Forwarding one admitted request: pick an upstream key, retry once on another when the first fails before
// any byte reached the client, map upstream errors to OpenAI errors without our key or internals in them,
// and stream the answer through chunk by chunk, at the client's pace, while watching for its usage.
import type { Readable } from "node:stream";
import { logger, redactText } from "@/lib/logger";
import { Aborter } from "./aborter";
import type { Reservation } from "./budget";
import type { ProxyDeps, ProxyRequest, ProxySink } from "./core";
import { ERRORS, openAIError } from "./errors";
import { upstreamErrorKind, type UpstreamResponse } from "./forward";
import type { CompiledKey } from "./key-cache";
import { metrics } from "./metrics";
import { meterAnswer, type CostPlan, type Metering } from "./request";
import { AddedUsageFilter } from "./sse-filter";
import { promptTextBytes, StreamUsageScanner, usageFromJson } from "./usage";
import type { Upstream } from "./upstreams";

export type Metered = {
  keyId: string;
  /** The key's roll chain: what its budget is counted on. */
  lineageId: string;
  teamId: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** The answer carried no usage: the cost is Keyward's estimate from the request and the answer. */
  estimated: boolean;
  status: number;
  /** The team's upstream (OpenAI) key that answered: its "last used" is written with the usage. */
  upstreamId?: string;
};

type Job = {
  req: ProxyRequest;
  sink: ProxySink;
  key: CompiledKey;
  model: string | null;
  /** What is forwarded, with its content type: the bytes the checks saw, or their re-encoding. */
  body: Buffer;
  contentType: string | undefined;
  streaming: boolean;
  /** Keyward asked for the stream's usage chunk on its own: read for metering, not passed on. */
  addedUsageChunk: boolean;
  plan: CostPlan;
  extraHeaders: Record<string, string>;
  reservation: Reservation | null;
};

const RETRYABLE = new Set([401, 403, 429, 500, 502, 503, 504]);
const PASSED_HEADERS = ["content-type", "x-request-id", "openai-processing-ms", "openai-version"];
// OpenAI's own limits, passed on unless Keyward sets its own for the same family (a key's rpm or tpm).
const RATE_HEADERS = {
  requests: ["x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests"],
  tokens: ["x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens"],
} as const;

function upstreamHeaders(job: Job, upstream: Upstream): Record<string, string> {
  const h: Record<string, string> = { authorization: `Bearer ${upstream.key}`, "user-agent": "keyward" };
  if (job.contentType) h["content-type"] = job.contentType;
  if (job.body.length > 0) h["content-length"] = String(job.body.length);
  if (upstream.organizationId) h["openai-organization"] = upstream.organizationId;
  if (upstream.projectId) h["openai-project"] = upstream.projectId;
  return h;
}

function drainBuffer(body: Readable): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    body.on("data", (c: Buffer) => chunks.push(c));
    body.on("end", done);
    body.on("error", done);
  });
}

const drain = (body: Readable): Promise<string> => drainBuffer(body).then((b) => b.toString("utf8"));

/** The upstream's error, re-worded where it concerns our credentials, and never carrying a key. */
function mappedError(status: number, text: string, response: UpstreamResponse) {
  const retryAfter = response.headers["retry-after"];
  const headers = typeof retryAfter === "string" ? { "retry-after": retryAfter } : undefined;
  if (status === 401 || status === 403)
    return openAIError(
      502,
      "The upstream rejected this team's OpenAI key. An admin must check the team's keys in Keyward.",
      "upstream_error",
      "upstream_auth_failed",
    );
  if (status >= 500)
    return openAIError(
      status,
      "The upstream API returned an error. Try again.",
      "api_error",
      "upstream_error",
      null,
      headers,
    );
  let parsed: { error?: { message?: unknown; type?: unknown; code?: unknown; param?: unknown } } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // not JSON
  }
  const e = parsed.error ?? {};
  const str = (v: unknown) => (typeof v === "string" ? redactText(v) : null);
  return openAIError(
    status,
    str(e.message) ?? "The upstream API refused the request.",
    str(e.type) ?? "invalid_request_error",
    str(e.code),
    str(e.param),
    headers,
  );
}

export async function relay(deps: ProxyDeps, job: Job): Promise<void> {
  const { req, sink, key } = job;
  const list = deps.upstreams.peek(key.teamId) ?? (await deps.upstreams.forTeam(key.teamId));
  // Exactly once per request: what it cost (null: nothing, it was not answered) replaces its reservation.
  let settled = false;
  let answeredBy: string | undefined;
  const settle = (metering: Metering | null, status: number) => {
    if (settled) return;
    settled = true;
    if (job.reservation) deps.budgets.settle(job.reservation, metering?.costUsd ?? 0);
    if (!metering) return;
    deps.tokens.add(key.lineageId, metering.promptTokens + metering.completionTokens, Date.now());
    deps.meter({
      keyId: key.id,
      lineageId: key.lineageId,
      teamId: key.teamId,
      model: job.model ?? "",
      promptTokens: metering.promptTokens,
      completionTokens: metering.completionTokens,
      costUsd: metering.costUsd,
      estimated: metering.estimated,
      status,
      upstreamId: answeredBy,
    });
  };
  // A stream is cut when its client leaves (what was sent is estimated). A non-streamed answer is read to
  // its end and metered from its real usage, up to the upstream timeout after the client left.
  const aborter = job.streaming ? sink.aborter : readOnAfterClientLeft(sink.aborter, deps.timeoutMs);
  const now = Date.now();
  const first = deps.upstreams.pick(list, now);
  if (!first) {
    settle(null, 503);
    return writeError(sink, ERRORS.noUpstream);
  }
  let upstream: Upstream = first;
  for (let attempt = 0; ; attempt++) {
    let response: UpstreamResponse;
    try {
      response = await deps.client.request({
        method: req.method,
        path: req.path.slice(3) + req.search,
        headers: upstreamHeaders(job, upstream),
        body: job.body.length ? job.body : null,
        timeoutMs: deps.timeoutMs,
        aborter,
      });
    } catch (error) {
      const kind = upstreamErrorKind(error);
      // The client left before any answer: a stream's prompt may already be charged upstream.
      if (kind === "aborted") return settle(job.streaming ? meterAnswer(job.plan, null, null) : null, 499);
      metrics().upstreamErrors.inc({ kind: kind ?? "reset" });
      // A key sits out for connect failures and timeouts; a reset says nothing about the key.
      if (kind === "connect" || kind === "timeout") deps.upstreams.markFailure(upstream, Date.now());
      const other: Upstream | null =
        attempt === 0 && kind === "connect" ? deps.upstreams.pick(list, Date.now(), upstream) : null;
      if (other) {
        upstream = other;
        continue;
      }
      settle(null, 502);
      return writeError(sink, kind === "timeout" ? ERRORS.upstreamTimeout : ERRORS.upstreamUnavailable);
    }
    const status = response.statusCode;
    if (status >= 400) {
      const text = await drain(response.body);
      metrics().upstreamErrors.inc({ kind: String(status) });
      if (RETRYABLE.has(status)) deps.upstreams.markFailure(upstream, Date.now());
      const other: Upstream | null =
        attempt === 0 && RETRYABLE.has(status) ? deps.upstreams.pick(list, Date.now(), upstream) : null;
      if (other && other !== upstream) {
        upstream = other;
        continue;
      }
      settle(null, status);
      const requestId = response.headers["x-request-id"];
      const error = mappedError(status, text, response);
      if (typeof requestId === "string") error.headers = { ...error.headers, "x-request-id": requestId };
      return writeError(sink, error);
    }
    deps.upstreams.markSuccess(upstream);
    answeredBy = upstream.id;
    return pass(deps, job, response, status, settle);
  }
}

function writeError(sink: ProxySink, error: ReturnType<typeof openAIError>): void {
  sink.writeHead(error.status, { "content-type": "application/json", ...error.headers });
  sink.end(error.body);
}

/**
 * An aborter for the upstream request that fires `timeoutMs` after the client left rather than at once: a
 * non-streamed answer is paid for whether or not anyone reads it, so it is read to its end and metered.
 */
function readOnAfterClientLeft(client: Aborter, timeoutMs: number): Aborter {
  const upstream = new Aborter();
  client.on(() => setTimeout(() => upstream.abort(), timeoutMs).unref());
  return upstream;
}

function pass(
  deps: ProxyDeps,
  job: Job,
  response: UpstreamResponse,
  status: number,
  settle: (metering: Metering | null, status: number) => void,
): Promise<void> {
  const { sink } = job;
  const headers: Record<string, string> = { ...job.extraHeaders };
  for (const name of PASSED_HEADERS) {
    const value = response.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  for (const family of [RATE_HEADERS.requests, RATE_HEADERS.tokens]) {
    if (family.some((name) => name in headers)) continue;
    for (const name of family) {
      const value = response.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
  }
  const sse = (headers["content-type"] ?? "").includes("text/event-stream");
  const filterModels = job.req.method === "GET" && job.req.path === "/v1/models" && job.key.models !== undefined;
  if (sse)
    Object.assign(headers, {
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      connection: "keep-alive",
    });
  return new Promise((resolve) => {
    if (filterModels) {
      void drain(response.body).then((text) => {
        const list = JSON.parse(text) as { data?: { id: string }[] };
        list.data = (list.data ?? []).filter((m) => job.key.allowsModel(m.id));
        sink.writeHead(status, headers);
        sink.end(JSON.stringify(list));
        settle(meterAnswer(job.plan, null, null), status);
        resolve();
      });
      return;
    }
    if (!sse && (headers["content-type"] ?? "").includes("json")) {
      // JSON answers are small and read for their usage anyway: one write with a content-length, instead of
      // headers, body and a chunked-encoding terminator as separate socket writes.
      void drainBuffer(response.body).then((body) => {
        headers["content-length"] = String(body.length);
        sink.writeHead(status, headers);
        sink.end(body);
        settle(meterAnswer(job.plan, usageFromJson(body), body), status);
        resolve();
      });
      return;
    }
    const length = response.headers["content-length"];
    if (!sse && typeof length === "string") headers["content-length"] = length;
    sink.writeHead(status, headers);
    const scanner = sse ? new StreamUsageScanner() : null;
    // The usage chunk Keyward asked for is read above and not passed on: the stream stays the client's.
    const filter = sse && job.addedUsageChunk ? new AddedUsageFilter() : null;
    const body = response.body;
    // A revocation ends the stream: what arrived, arrived, and it is metered as such.
    const untrack = deps.streams.track(job.key, () => body.destroy(new Error("the key was revoked")));
    // A client that takes nothing for stalledClientMs while the upstream has more to send: both sides are
    // cut (as nginx's send_timeout does), so a stalled reader cannot hold an upstream connection forever. A
    // slow reader is not stalled: any progress since the timer was armed arms it again.
    let stalled: NodeJS.Timeout | undefined;
    const resume = () => {
      clearTimeout(stalled);
      body.resume();
    };
    const watch = (since: number) => {
      clearTimeout(stalled);
      stalled = setTimeout(() => {
        const now = sink.progress();
        if (now !== since) return watch(now);
        metrics().stalledClients.inc();
        sink.destroy();
        body.destroy(new Error("the client stopped reading"));
      }, deps.stalledClientMs);
    };
    body.on("data", (chunk: Buffer) => {
      scanner?.push(chunk);
      // A non-streamed answer whose client left is still read to its end, for its usage.
      if (sink.aborter.aborted) return;
      const out = filter ? filter.push(chunk) : chunk;
      if (out.length === 0) return;
      const more = sink.write(out);
      // A client that reads slower than the upstream sends: stop reading the upstream (its TCP window then
      // slows it down) instead of buffering without limit. A client that leaves aborts the upstream instead.
      if (!more) {
        body.pause();
        sink.onDrain(resume);
        watch(sink.progress());
      }
    });
    const close = () => {
      clearTimeout(stalled);
      untrack();
      try {
        const rest = filter?.end();
        if (rest && rest.length > 0 && !sink.aborter.aborted) sink.end(rest);
        else sink.end();
      } catch (error) {
        logger.warn({ err: error }, "ending a client's stream failed");
      }
      // Settled whatever happened on the client's side.
      const usage = scanner?.usageOrEstimate(promptTextBytes(job.body, job.contentType)) ?? null;
      const metering = meterAnswer(job.plan, usage, null);
      if (scanner && !scanner.usage) metering.estimated = true; // a stream cut before its usage event
      settle(metering, status);
      resolve();
    };
    body.once("end", close);
    // An upstream reset mid-stream, or our abort when the client left, ends the client's side cleanly (what
    // arrived, arrived).
    body.once("error", close);
  });
}
