// The proxy's one core, behind both entry points (the fast path in server.ts and the route handlers in
// app/): checks in order, all in memory in steady state — canonical path (the adapters) → key format and
// checksum → key (cache) → expiry → IP → endpoint scope → body, model and cost parameters (request.ts) →
// rpm/tpm → budget — then the upstream, with one retry on another key.
import type { IncomingHttpHeaders } from "node:http";
import { hashKey, parseKey } from "@/lib/keys/format";
import { endpointAllows } from "@/lib/keys/scopes";
import type { Aborter } from "./aborter";
import type { BudgetLedger, Reservation } from "./budget";
import { ERRORS, openAIError, type ProxyError } from "./errors";
import type { UpstreamClient } from "./forward";
import type { CompiledKey, KeyCache } from "./key-cache";
import type { OpenStreams } from "./open-streams";
import { inspectRequest, reservationUsd, type CostPlan } from "./request";
import type { SlidingWindowCounter } from "./rate-limit";
import { metrics } from "./metrics";
import type { RouteNeed } from "./routes";
import { relay, type Metered } from "./relay";
import type { UpstreamPool } from "./upstreams";

/**
 * The request line and headers: all the checks up to the endpoint scope need. `need` is the route's scope,
 * worked out once by the adapter (which also labels its metrics with it).
 */
export type ProxyHead = {
  method: string;
  path: string;
  search: string;
  need: RouteNeed | null;
  headers: IncomingHttpHeaders;
  clientIp: string;
};
export type ProxyRequest = ProxyHead & { body: Buffer };

/** Where the answer goes: a node:http response, or a web Response being built. */
export interface ProxySink {
  writeHead(status: number, headers: Record<string, string>): void;
  /** False when the client is not keeping up: write no more until `onDrain`'s listener has run. */
  write(chunk: Buffer | string): boolean;
  /** Runs `listener` once, when the client can take more after `write` returned false. */
  onDrain(listener: () => void): void;
  end(chunk?: Buffer | string): void;
  /** Cuts the client's connection (the answer cannot be finished). */
  destroy(): void;
  /** A number that grows whenever the client takes more of the answer (it reads). */
  progress(): number;
  /** Fires when the client goes away. */
  readonly aborter: Aborter;
}

export type ProxyDeps = {
  keys: KeyCache;
  upstreams: UpstreamPool;
  client: UpstreamClient;
  budgets: BudgetLedger;
  requests: SlidingWindowCounter;
  tokens: SlidingWindowCounter;
  meter: (event: Metered) => void;
  /** Open streams by key, so that a revocation can end them. */
  streams: OpenStreams;
  timeoutMs: number;
  /** How long a stream may wait for a client that reads nothing before both sides are cut. */
  stalledClientMs: number;
};

/** A refusal by Keyward itself (counted by its code: a fixed, small set). */
export function sendError(sink: ProxySink, error: ProxyError): void {
  metrics().refusals.inc({ reason: error.code ?? "other" });
  sink.writeHead(error.status, { "content-type": "application/json", ...error.headers });
  sink.end(error.body);
}

type Admitted = { headers: Record<string, string>; reservation: Reservation | null };

/**
 * rpm, tpm and budget; returns the budget reservation to settle, or a refusal. Synchronous unless a budget's
 * ledger must first be loaded (once per key and period): every promise on the hot path costs throughput.
 */
function admit(
  deps: ProxyDeps,
  key: CompiledKey,
  plan: CostPlan,
  bodyBytes: number,
  now: number,
): Admitted | ProxyError | Promise<Admitted | ProxyError> {
  const headers: Record<string, string> = {};
  if (key.rpm !== null) {
    const verdict = deps.requests.take(key.lineageId, 1, key.rpm, now);
    if (!verdict.ok)
      return openAIError(
        429,
        `Rate limit reached for this key: ${key.rpm} requests per minute.`,
        "requests",
        "rate_limit_exceeded",
        null,
        rateHeaders(key.rpm, 0, verdict.retryAfterSeconds),
      );
    Object.assign(headers, {
      "x-ratelimit-limit-requests": String(key.rpm),
      "x-ratelimit-remaining-requests": String(verdict.remaining),
    });
  }
  const promptEstimate = Math.ceil(bodyBytes / 4);
  if (key.tpm !== null && deps.tokens.used(key.lineageId, now) + promptEstimate > key.tpm) {
    return openAIError(
      429,
      `Rate limit reached for this key: ${key.tpm} tokens per minute.`,
      "tokens",
      "rate_limit_exceeded",
      null,
      { "retry-after": String(Math.max(1, Math.ceil(60 - (now % 60_000) / 1000))) },
    );
  }
  if (!key.budget) return { headers, reservation: null };
  const budget = key.budget;
  const date = new Date(now);
  const reserve = (): Admitted | ProxyError => {
    // The worst case: the model's largest answer when no limit is given, times n; images, speech and audio
    // at their price per image, character and second.
    const reservation = deps.budgets.reserve(key.lineageId, budget, reservationUsd(plan), date);
    return reservation
      ? { headers, reservation }
      : openAIError(429, "This key's budget for the period is spent.", "insufficient_quota", "insufficient_quota");
  };
  // The check and the reservation stay synchronous together: nothing can interleave between them.
  return deps.budgets.isPrepared(key.lineageId, budget, date)
    ? reserve()
    : deps.budgets.prepare(key.lineageId, budget, date).then(reserve);
}

function rateHeaders(limit: number, remaining: number, retryAfter: number): Record<string, string> {
  return {
    "retry-after": String(retryAfter),
    "x-ratelimit-limit-requests": String(limit),
    "x-ratelimit-remaining-requests": String(remaining),
    "x-ratelimit-reset-requests": `${retryAfter}s`,
  };
}

/**
 * The checks that need only the head, in order: key format and checksum → key (cache) → expiry → IP →
 * endpoint scope. The adapters run them before reading the body, so a caller without a valid key and scope
 * cannot make the proxy read and hold a body of up to 32 MB. Synchronous when the key is cached.
 */
export function authorize(
  deps: ProxyDeps,
  head: ProxyHead,
): CompiledKey | ProxyError | Promise<CompiledKey | ProxyError> {
  const auth = head.headers.authorization;
  if (!auth?.startsWith("Bearer ")) return ERRORS.missingKey;
  const token = auth.slice(7).trim();
  const parsedKey = parseKey(token);
  if (!parsedKey.ok || parsedKey.kind !== "live") return ERRORS.invalidKey;
  const hash = hashKey(token);
  const cached = deps.keys.peek(hash, Date.now());
  return cached
    ? admitKey(cached, head)
    : deps.keys.get(hash).then((key) => (key ? admitKey(key, head) : ERRORS.invalidKey));
}

const expired = (key: CompiledKey, now: number) => key.expiresAtMs !== null && key.expiresAtMs <= now;
const expiryError = (key: CompiledKey) => (key.expiryIsTwoFactor ? ERRORS.twoFactorRequired : ERRORS.expiredKey);

function admitKey(key: CompiledKey, head: ProxyHead): CompiledKey | ProxyError {
  if (expired(key, Date.now())) return expiryError(key);
  if (key.allowsIp && !key.allowsIp(head.clientIp)) return ERRORS.ipNotAllowed;
  const need = head.need;
  if (!need) return ERRORS.unknownUrl(head.method, head.path);
  if (!endpointAllows(key, need.group, need.access)) return ERRORS.endpointScope(need.group, need.access);
  return key;
}

/** The rest, once `authorize` admitted `key` and the body has been read: model → rpm/tpm → budget → upstream. */
export async function handleProxy(
  deps: ProxyDeps,
  req: ProxyRequest,
  admittedKey: CompiledKey,
  sink: ProxySink,
): Promise<void> {
  const now = Date.now();
  // The key may have changed while the body was arriving: a revocation or an edit drops it from the cache, so
  // anything but the same cached object is checked again in full. The same object has the same scopes and
  // IP list, checked against the same head: only its expiry can have passed.
  const current = !deps.keys.holds(admittedKey, now)
    ? await authorize(deps, req)
    : expired(admittedKey, now)
      ? expiryError(admittedKey)
      : admittedKey;
  if ("status" in current) return sendError(sink, current);
  const key = current;
  const pendingBody = inspectRequest(req.method, req.path, req.headers["content-type"], req.body, key.allowsModel);
  const body = pendingBody instanceof Promise ? await pendingBody : pendingBody;
  if ("status" in body) return sendError(sink, body);
  const pending = admit(deps, key, body.plan, req.body.length, now);
  const admitted = pending instanceof Promise ? await pending : pending;
  if ("status" in admitted) return sendError(sink, admitted);
  await relay(deps, {
    req,
    sink,
    key,
    model: body.model,
    body: body.body,
    contentType: body.contentType,
    streaming: body.streaming,
    addedUsageChunk: body.addedUsageChunk,
    plan: body.plan,
    extraHeaders: admitted.headers,
    reservation: admitted.reservation,
  });
}
