// A stand-in for the OpenAI API, speaking its wire format, for tests and benchmarks (never for users).
// Keys: any "sk-…" key is accepted unless it contains "invalid" or "revoked" (answered 401 as OpenAI does).
// Per request: `x-mock-latency-ms` delays the response, `x-mock-chunk-delay-ms` paces SSE chunks and
// `x-mock-fault` injects a failure (faults.ts); POST /__mock/faults { fault, times } fails the next N requests.
// Admin API (routes/admin.ts): /v1/organization/... takes only `adminKey`, which works nowhere else; the key
// of a service account it created works like any "sk-" key until the account is deleted, then never again.
// Fast on purpose (a benchmark drives it): no logging, no per-request heavy work, bodies prebuilt where possible.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import {
  delayFromHeader,
  faultControlSchema,
  faultFromHeader,
  FaultQueue,
  FLOOD_MAX_BYTES,
  floodBytesFromHeader,
  sendFaultError,
  SLOW_START_MS,
} from "./faults";
import { bearer, invalidRequest, readBody, sendError, sendJson, later } from "./http";
import { makeReply } from "./reply";
import {
  adminControls,
  adminKeyVerdict,
  adminOptionsShape,
  ADMIN_PATH_PREFIX,
  createAdminState,
  findAdminRoute,
  type MockAdminControls,
} from "./routes/admin";
import { chatCompletions } from "./routes/chat";
import { createEmbeddings } from "./routes/embeddings";
import { createBatch, listBatches, listFiles, retrieveBatch, retrieveFile, uploadFile } from "./routes/files";
import { createSpeech, generateImages, transcribe } from "./routes/media";
import { createAssistant, createFineTuningJob, listAssistants, listFineTuningJobs } from "./routes/jobs";
import { listModels, retrieveModel } from "./routes/models";
import { createModeration } from "./routes/moderations";
import { createResponse } from "./routes/responses";
import {
  INVALID_JSON,
  type MockContext,
  type MockFault,
  type MockState,
  type RecordedRequest,
  type Route,
} from "./types";

export { MOCK_FAULTS, MOCK_MODELS, type MockFault, type RecordedRequest } from "./types";
export { MOCK_ADMIN_KEY, type MockServiceAccountView } from "./routes/admin";

export const mockOptionsSchema = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default("127.0.0.1"),
  latencyMs: z.number().min(0).default(0),
  chunkDelayMs: z.number().min(0).default(0),
  replyWords: z.number().int().min(1).max(10_000).default(8),
  // How much a `flood` stream sends when the request has no x-mock-flood-bytes.
  floodBytes: z
    .number()
    .int()
    .min(1)
    .max(FLOOD_MAX_BYTES)
    .default(64 * 1024 * 1024),
  // Past this many records the oldest half is dropped, so a long benchmark cannot exhaust memory.
  maxRecorded: z.number().int().min(1).default(10_000),
  ...adminOptionsShape,
});

export type MockOpenAIOptions = z.input<typeof mockOptionsSchema>;

export type MockOpenAI = MockAdminControls & {
  baseUrl: string;
  requests: RecordedRequest[];
  // The canned reply every completion answers with.
  replyText: string;
  resetRequests(): void;
  setFault(fault: MockFault | null, times?: number): void;
  /**
   * From now until the returned release() is called, every stream that starts sends the first half of its
   * frames and then waits (a client that goes away ends it as usual); release() sends the rest of each, paced
   * as usual. A test can then act while a stream is certainly open, instead of hoping a paced one still is.
   */
  holdStreams(): () => void;
  /**
   * From now on chat answers report this many completion tokens (capped by the request's max_tokens or
   * max_completion_tokens, as OpenAI caps them), whatever their text; null: their reply's words again.
   */
  setCompletionTokens(tokens: number | null): void;
  close(): Promise<void>;
};

const ROUTES: Record<string, Route> = {
  "GET /v1/models": listModels,
  "POST /v1/chat/completions": chatCompletions,
  "POST /v1/responses": createResponse,
  "POST /v1/embeddings": createEmbeddings,
  "POST /v1/moderations": createModeration,
  "POST /v1/images/generations": generateImages,
  "POST /v1/audio/speech": createSpeech,
  "POST /v1/audio/transcriptions": transcribe,
  "POST /v1/audio/translations": transcribe,
  "POST /v1/fine_tuning/jobs": createFineTuningJob,
  "GET /v1/fine_tuning/jobs": listFineTuningJobs,
  "POST /v1/assistants": createAssistant,
  "GET /v1/assistants": listAssistants,
  "GET /v1/files": listFiles,
  "POST /v1/files": uploadFile,
  "GET /v1/batches": listBatches,
  "POST /v1/batches": createBatch,
};

const ROUTES_WITH_ID: Record<string, Route> = {
  "GET /v1/models/": retrieveModel,
  "GET /v1/files/": retrieveFile,
  "GET /v1/batches/": retrieveBatch,
};

function findRoute(method: string, path: string): { route: Route; param?: string } | null {
  if (path.startsWith(ADMIN_PATH_PREFIX)) {
    const admin = findAdminRoute(method, path);
    return admin ? { route: admin } : null;
  }
  const exact = ROUTES[`${method} ${path}`];
  if (exact) return { route: exact };
  const slash = path.lastIndexOf("/");
  const route = ROUTES_WITH_ID[`${method} ${path.slice(0, slash + 1)}`];
  return route && slash < path.length - 1 ? { route, param: path.slice(slash + 1) } : null;
}

function unknownUrl(ctx: MockContext): void {
  sendError(
    ctx.res,
    404,
    invalidRequest(`Unknown request URL: ${ctx.record.method} ${ctx.record.path}.`, null, "unknown_url"),
  );
}

function authorize(req: http.IncomingMessage, res: http.ServerResponse, path: string, state: MockState): boolean {
  const key = bearer(req);
  if (!key) {
    sendError(res, 401, invalidRequest("You didn't provide an API key."));
    return false;
  }
  const verdict = adminKeyVerdict(state.admin, path, key);
  if (!(verdict ?? (key.startsWith("sk-") && !/invalid|revoked/.test(key)))) {
    // OpenAI echoes a masked key in this message; the gateway in front must never pass it on as is.
    sendError(
      res,
      401,
      invalidRequest(`Incorrect API key provided: ${key.slice(0, 3)}*****${key.slice(-4)}.`, null, "invalid_api_key"),
    );
    return false;
  }
  return true;
}

function parseJson(raw: Buffer | null): unknown {
  if (!raw || raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return INVALID_JSON;
  }
}

type Settings = z.output<typeof mockOptionsSchema> & {
  faults: FaultQueue;
  state: MockState;
  reply: ReturnType<typeof makeReply>;
};

// Body read, request recorded, then: fault, delay, route. Faults come after the key check, as upstream.
function respond(ctx: MockContext, settings: Settings, route: Route): void {
  const { req, res, record } = ctx;
  const json = ctx.raw && !req.headers["content-type"]?.startsWith("multipart/") ? parseJson(ctx.raw) : undefined;
  ctx.json = json;
  if (typeof json === "object" && json !== null) {
    if ("model" in json && typeof json.model === "string") record.model = json.model;
    record.stream = "stream" in json && json.stream === true;
  }
  const headerFault = faultFromHeader(req.headers["x-mock-fault"]);
  const latency = delayFromHeader(req.headers["x-mock-latency-ms"]);
  const chunkDelay = delayFromHeader(req.headers["x-mock-chunk-delay-ms"]);
  const floodBytes = floodBytesFromHeader(req.headers["x-mock-flood-bytes"]);
  if (headerFault === "invalid" || latency === "invalid" || chunkDelay === "invalid" || floodBytes === "invalid") {
    return sendError(
      res,
      400,
      invalidRequest("Invalid x-mock-* header: see lib/mock-openai/faults.ts for the accepted values."),
    );
  }
  const fault = headerFault ?? settings.faults.take();
  record.fault = fault;
  ctx.chunkDelayMs = chunkDelay ?? settings.chunkDelayMs;
  // hang: the request is accepted and never answered; only the client going away ends it.
  if (fault === "hang") return;
  const delay = fault === "slow-start" ? (latency ?? SLOW_START_MS) : (latency ?? settings.latencyMs);
  later(res, delay, () => {
    if (fault && sendFaultError(res, fault)) return;
    if (fault === "reset" && !record.stream) return void req.socket.resetAndDestroy();
    ctx.reset = fault === "reset";
    if (fault === "flood") ctx.floodBytes = floodBytes ?? settings.floodBytes;
    route(ctx);
  });
}

function control(req: http.IncomingMessage, res: http.ServerResponse, faults: FaultQueue): void {
  readBody(req, (raw) => {
    const parsed = faultControlSchema.safeParse(parseJson(raw));
    if (req.method !== "POST" || !parsed.success)
      return sendError(res, 400, invalidRequest("POST { fault, times } to /__mock/faults."));
    faults.set(parsed.data.fault, parsed.data.times);
    sendJson(res, 200, parsed.data);
  });
}

export async function startMockOpenAI(options: MockOpenAIOptions = {}): Promise<MockOpenAI> {
  const parsed = mockOptionsSchema.parse(options);
  const settings: Settings = {
    ...parsed,
    faults: new FaultQueue(),
    state: {
      prefix: randomBytes(4).toString("hex"),
      seq: 0,
      files: [],
      batches: [],
      held: null,
      completionTokens: null,
      fineTuningJobs: [],
      assistants: [],
      admin: createAdminState(parsed),
    },
    reply: makeReply(parsed.replyWords),
  };
  const requests: RecordedRequest[] = [];
  // noDelay: paced SSE chunks must leave one by one, not wait for Nagle to batch them.
  const server = http.createServer({ noDelay: true }, (req, res) => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    const method = req.method ?? "GET";
    if (path === "/__mock/faults") return control(req, res, settings.faults);
    const key = bearer(req);
    const record: RecordedRequest = {
      method,
      path,
      keyHint: key ? key.slice(-4) : null,
      organization: (req.headers["openai-organization"] as string | undefined) ?? null,
      project: (req.headers["openai-project"] as string | undefined) ?? null,
      model: null,
      stream: false,
      fault: null,
      aborted: false,
      closed: false,
      streamedBytes: 0,
    };
    if (requests.length >= settings.maxRecorded) requests.splice(0, Math.ceil(settings.maxRecorded / 2));
    requests.push(record);
    res.once("close", () => {
      if (!res.writableFinished && record.fault !== "reset") record.aborted = true;
      record.closed = true;
    });
    if (!authorize(req, res, path, settings.state)) return;
    const found = findRoute(method, path);
    const ctx: MockContext = {
      req,
      res,
      record,
      json: undefined,
      raw: null,
      param: found?.param,
      reply: settings.reply,
      chunkDelayMs: 0,
      reset: false,
      floodBytes: 0,
      state: settings.state,
    };
    const route = found?.route ?? unknownUrl;
    if (method === "GET" || method === "HEAD") return respond(ctx, settings, route);
    readBody(req, (raw) => {
      ctx.raw = raw;
      respond(ctx, settings, route);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(settings.port, settings.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...adminControls(settings.state.admin),
    baseUrl: `http://${settings.host}:${port}/v1`,
    requests,
    replyText: settings.reply.text,
    resetRequests: () => void (requests.length = 0),
    setFault: (fault, times = 1) => settings.faults.set(fault, times),
    setCompletionTokens: (tokens) => void (settings.state.completionTokens = tokens),
    holdStreams: () => {
      const held: (() => void)[] = settings.state.held ?? [];
      settings.state.held = held;
      return () => {
        if (settings.state.held === held) settings.state.held = null;
        for (const resume of held.splice(0)) resume();
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
