// HTTP plumbing shared by the mock's routes: OpenAI-shaped errors, JSON replies, request bodies and delays.
import type http from "node:http";
import type { z } from "zod";
import { INVALID_JSON, MOCK_MODELS, type MockContext } from "./types";

export type OpenAIError = { message: string; type: string; param: string | null; code: string | null };

const NOT_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)";

export function sendJsonText(
  res: http.ServerResponse,
  status: number,
  text: string,
  headers?: http.OutgoingHttpHeaders,
): void {
  // The client may have gone away during a delay; writing then would only raise errors nobody reads.
  if (res.destroyed) return;
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers?: http.OutgoingHttpHeaders,
): void {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

export function sendError(
  res: http.ServerResponse,
  status: number,
  error: OpenAIError,
  headers?: http.OutgoingHttpHeaders,
): void {
  sendJson(res, status, { error }, headers);
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null): OpenAIError {
  return { message, type: "invalid_request_error", param, code };
}

export function bearer(req: http.IncomingMessage): string | null {
  const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
  return match?.[1] ?? null;
}

export function readBody(req: http.IncomingMessage, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  // A small JSON body arrives in one chunk: skip the copy Buffer.concat would make.
  req.on("end", () => done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
}

// Runs `fn` after `ms`, unless the client has gone away by then. No timer at all when there is no delay.
export function later(res: http.ServerResponse, ms: number, fn: () => void): void {
  if (ms <= 0) return fn();
  const timer = setTimeout(() => {
    if (!res.destroyed) fn();
  }, ms);
  res.once("close", () => clearTimeout(timer));
}

// Validates a JSON body the way OpenAI does: 400 invalid_request_error naming the offending parameter.
export function parseBody<T extends z.ZodType>(ctx: MockContext, schema: T): z.infer<T> | null {
  if (ctx.json === INVALID_JSON) {
    sendError(ctx.res, 400, invalidRequest(NOT_JSON));
    return null;
  }
  const parsed = schema.safeParse(ctx.json ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.join(".") : null;
  sendError(
    ctx.res,
    400,
    invalidRequest(`Invalid '${param ?? "body"}': ${issue?.message ?? "invalid request"}.`, param),
  );
  return null;
}

// OpenAI answers an unknown model with 404 model_not_found; the gateway must pass that on as it is.
export function knownModel(ctx: MockContext, model: string): boolean {
  if (MOCK_MODELS.includes(model)) return true;
  const message = `The model \`${model}\` does not exist or you do not have access to it.`;
  sendError(ctx.res, 404, invalidRequest(message, null, "model_not_found"));
  return false;
}
