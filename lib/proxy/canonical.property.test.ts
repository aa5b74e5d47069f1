// Property: whatever the path's spelling, the Content-Type and the token parameters, no request reaches the
// upstream with a path, a model or a cost other than what the checks saw. The real core (authorize +
// handleProxy) runs against an upstream that records what it was sent and answers the worst it may: as many
// tokens as the forwarded body allows.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateKey } from "@/lib/keys/format";
import { handleNode } from "./adapters";
import { BudgetLedger, type Reservation } from "./budget";
import type { ProxyDeps } from "./core";
import type { UpstreamRequest } from "./forward";
import { KeyCache } from "./key-cache";
import { OpenStreams } from "./open-streams";
import { SlidingWindowCounter } from "./rate-limit";
import type { Metered } from "./relay";
import { canonicalPath } from "./request";
import { routeNeed } from "./routes";
import { UpstreamPool } from "./upstreams";

// What the upstream would do, written independently of lib/proxy/pricing.ts: largest output and prices.
const MODELS: Record<string, { max: number; input: number; output: number }> = {
  "gpt-4o-mini": { max: 16_384, input: 0.15, output: 0.6 },
  "gpt-4o-mini-2024-07-18": { max: 16_384, input: 0.15, output: 0.6 },
};
const ALLOWED = (model: string) => model.startsWith("gpt-4o-mini");
// Write access includes read (lib/keys/scopes.ts).
const GRANTED = new Set(["chat:write", "chat:read", "embeddings:write", "embeddings:read", "models:read"]);

const { key: token, hash } = generateKey("live");
const KEY_ROW = {
  id: "00000000-0000-4000-8000-000000000001",
  teamId: "00000000-0000-4000-8000-000000000002",
  userId: null,
  hash,
  scopes: {
    endpoints: { chat: "write", embeddings: "write", models: "read" },
    models: ["gpt-4o-mini*"],
    budget: { amountUsd: 1_000_000, period: "lifetime" },
  },
  expiresAt: null,
  createdAt: new Date(0),
  keyPolicy: null,
  role: "member" as const,
};

type Sent = { path: string; headers: Record<string, string>; body: Buffer | null };

function setUp() {
  const sent: Sent[] = [];
  const reservations: Reservation[] = [];
  const metered: Metered[] = [];
  const budgets = new BudgetLedger(async () => 0);
  const reserve = budgets.reserve.bind(budgets);
  budgets.reserve = (...args) => {
    const reservation = reserve(...args);
    if (reservation) reservations.push(reservation);
    return reservation;
  };
  const deps: ProxyDeps = {
    // One key per run: a small cache (lru-cache allocates its capacity up front).
    keys: new KeyCache(async () => KEY_ROW, Date.now, 16),
    streams: new OpenStreams(),
    upstreams: new UpstreamPool(async (teamId) => [
      { id: "u1", teamId, key: "sk-test", organizationId: null, projectId: null, weight: 1 },
    ]),
    client: {
      request: async (req: UpstreamRequest) => {
        sent.push({ path: req.path, headers: req.headers as Record<string, string>, body: req.body as Buffer | null });
        return {
          statusCode: 200,
          headers: { "content-type": "application/json" },
          body: worstAnswer(req.path, req.body as Buffer | null),
        };
      },
      close: async () => undefined,
    },
    budgets,
    requests: new SlidingWindowCounter(),
    tokens: new SlidingWindowCounter(),
    meter: (event) => metered.push(event),
    timeoutMs: 5_000,
    stalledClientMs: 5_000,
  };
  return { deps, sent, reservations, metered };
}

/**
 * A completion using every token the forwarded body allows (the upstream's reading of it: JSON.parse). Other
 * routes (a stored completion's metadata, embeddings, lists) answer without usage.
 */
function worstAnswer(path: string, body: Buffer | null): Readable {
  if (path !== "/chat/completions") return Readable.from([Buffer.from('{"object":"list","data":[]}')]);
  const json = body ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
  const model = MODELS[String(json.model)];
  const limit = Math.max(Number(json.max_tokens ?? 0), Number(json.max_completion_tokens ?? 0)) || (model?.max ?? 0);
  const n = Number(json.n ?? 1);
  const usage = { prompt_tokens: Math.ceil((body?.length ?? 0) / 4), completion_tokens: limit * n };
  return Readable.from([Buffer.from(JSON.stringify({ object: "chat.completion", choices: [], usage }))]);
}

/** Through the fast path's adapter (handleNode) on a real socket: the raw path goes out as written. */
async function run(deps: ProxyDeps, method: string, rawPath: string, contentType: string | null, body: Buffer) {
  const runtime = { deps, meter: null as never, close: async () => undefined };
  const server = http.createServer((req, res) => handleNode(runtime, req, res, "127.0.0.1"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (contentType !== null) headers["content-type"] = contentType;
  try {
    return await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method, path: rawPath, headers, agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end(body.length > 0 ? body : undefined);
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const segment = fc.constantFrom(
  "chat",
  "completions",
  "embeddings",
  "files",
  "models",
  "gpt-4o",
  "..",
  ".",
  "%2e%2e",
  "%2E.",
  ".%2e",
  "",
  "chat%2fcompletions",
  "..%2F..%2Fembeddings",
  "%5c..",
  "a\\b",
  "%zz",
  "%00",
  "gpt%2D4o-mini",
);
const path = fc.oneof(
  fc.constantFrom("/v1/chat/completions", "/v1/embeddings", "/v1/models", "/v1/files"),
  fc.array(segment, { minLength: 1, maxLength: 5 }).map((segments) => `/v1/${segments.join("/")}`),
  fc
    .tuple(fc.constantFrom("/v1/chat/completions", "/v1/models"), fc.array(segment, { maxLength: 4 }))
    .map(([start, rest]) => [start, ...rest].join("/")),
);
const contentType = fc.constantFrom(
  "application/json",
  "Application/JSON",
  "application/JSON; charset=utf-8",
  "APPLICATION/JSON;charset=UTF-8",
  "text/plain",
  "application/vnd.api+json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "",
  null,
);
const tokenValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({ min: -1_000_000_000, max: 200_000 }),
  fc.double({ noNaN: false }),
  fc.constantFrom("10", "-1", "1e9", true),
);
const model = fc.constantFrom("gpt-4o-mini", "gpt-4o-mini-2024-07-18", "gpt-4o", "o3", "", 5, null, undefined);
const body = fc
  .record({
    model,
    max_tokens: tokenValue,
    max_completion_tokens: tokenValue,
    n: fc.oneof(fc.constant(undefined), fc.integer({ min: -5, max: 200 }), fc.constantFrom(1.5, "2")),
    // The same key twice, or escaped, with another model: parsers disagree on which one wins.
    duplicate: fc.constantFrom(null, "gpt-4o", "gpt-4o-mini"),
    escaped: fc.boolean(),
  })
  .map(({ duplicate, escaped, ...fields }) => {
    let text = JSON.stringify({ ...fields, messages: [{ role: "user", content: "hi" }] });
    if (duplicate !== null) text = `${text.slice(0, -1)},${escaped ? '"mod\\u0065l"' : '"model"'}:"${duplicate}"}`;
    return Buffer.from(text);
  });

/** The upstream's reading of a forwarded body: the last of duplicate keys wins, as in JSON.parse and Python. */
function upstreamModel(forwarded: Buffer | null): unknown {
  if (!forwarded || forwarded.length === 0) return undefined;
  return (JSON.parse(forwarded.toString("utf8")) as { model?: unknown }).model;
}

/** First-wins parsers (some Go and Java ones) read the first "model" key: it must be the same. */
function firstModel(forwarded: Buffer | null): unknown {
  if (!forwarded || forwarded.length === 0) return undefined;
  const text = forwarded.toString("utf8");
  const keys = text.match(/"model"\s*:/g) ?? [];
  return keys.length <= 1 && !text.includes("\\u") ? upstreamModel(forwarded) : Symbol("ambiguous");
}

describe("the canonical request (property)", () => {
  it("no forwarded request differs from what the checks saw in path, model or cost", async () => {
    // What the runs covered: a property that only ever saw refusals would prove nothing.
    const forwardedPaths = new Map<string, number>();
    let reencoded = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("POST", "GET"), path, contentType, body, async (method, rawPath, type, raw) => {
        const { deps, sent, reservations, metered } = setUp();
        const status = await run(deps, method, rawPath, type, method === "GET" ? Buffer.alloc(0) : raw);
        if (sent.length === 0) {
          // Refused: an error status, nothing reserved or left reserved.
          expect(status).toBeGreaterThanOrEqual(400);
          expect(reservations.every((r) => r.settled)).toBe(true);
          return;
        }
        expect(sent).toHaveLength(1);
        const forwarded = sent[0]!;
        // The path: canonical, and one the key's scope admits.
        const forwardedPath = `/v1${forwarded.path}`;
        forwardedPaths.set(forwardedPath, (forwardedPaths.get(forwardedPath) ?? 0) + 1);
        if (forwarded.body && !forwarded.body.equals(raw)) reencoded++;
        expect(canonicalPath(forwardedPath)).toBe(forwardedPath);
        const need = routeNeed(method, forwardedPath);
        expect(need && GRANTED.has(`${need.group}:${need.access}`)).toBe(true);
        // The model: read the same by every parser, on the allow-list, and the one metered.
        const seen = upstreamModel(forwarded.body);
        expect(firstModel(forwarded.body)).toBe(seen);
        if (seen !== undefined && seen !== null) {
          expect(typeof seen === "string" && ALLOWED(seen)).toBe(true);
          expect(metered[0]?.model).toBe(seen);
        }
        if (forwarded.body && forwarded.body.length > 0)
          expect(forwarded.headers["content-type"]).toBe("application/json");
        // The cost: the worst the forwarded body allows was reserved, settled once, never exceeded.
        if (forwardedPath === "/v1/chat/completions" && method === "POST") {
          expect(typeof seen).toBe("string");
          const price = MODELS[seen as string]!;
          const json = JSON.parse(forwarded.body!.toString("utf8")) as Record<string, number | undefined>;
          const limit = Math.max(json.max_tokens ?? 0, json.max_completion_tokens ?? 0) || price.max;
          expect(Number.isInteger(limit) && limit >= 1 && limit <= price.max).toBe(true);
          const worst = (limit * (json.n ?? 1) * price.output) / 1e6;
          expect(reservations).toHaveLength(1);
          expect(reservations[0]!.amount).toBeGreaterThanOrEqual(worst);
          expect(metered[0]!.costUsd).toBeLessThanOrEqual(reservations[0]!.amount + 1e-12);
        }
        expect(reservations.every((r) => r.settled)).toBe(true);
      }),
      { numRuns: 1500 },
    );
    expect(forwardedPaths.get("/v1/chat/completions")).toBeGreaterThan(20);
    expect(forwardedPaths.size).toBeGreaterThan(3);
    expect(reencoded).toBeGreaterThan(5);
  });
});
