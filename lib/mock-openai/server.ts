// A stand-in for the OpenAI API, speaking its wire format, for tests and benchmarks (never for users).
// Keys: any "sk-…" key is accepted unless it contains "invalid" or "revoked" (answered 401 as OpenAI does).
import http from "node:http";
import type { AddressInfo } from "node:net";

export const MOCK_MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1-mini", "o3-mini", "text-embedding-3-small", "text-embedding-3-large", "omni-moderation-latest"];

export type RecordedRequest = { method: string; path: string; keyHint: string | null; organization: string | null; project: string | null };

export type MockOpenAI = { baseUrl: string; requests: RecordedRequest[]; close(): Promise<void> };

type OpenAIError = { message: string; type: string; param: string | null; code: string | null };

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, error: OpenAIError): void {
  sendJson(res, status, { error });
}

function bearer(req: http.IncomingMessage): string | null {
  const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
  return match?.[1] ?? null;
}

function authorize(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const key = bearer(req);
  if (!key) {
    sendError(res, 401, { message: "You didn't provide an API key.", type: "invalid_request_error", param: null, code: null });
    return false;
  }
  if (!key.startsWith("sk-") || /invalid|revoked/.test(key)) {
    // OpenAI echoes a masked key in this message; the gateway in front must never pass it on as is.
    sendError(res, 401, { message: `Incorrect API key provided: ${key.slice(0, 3)}*****${key.slice(-4)}.`, type: "invalid_request_error", param: null, code: "invalid_api_key" });
    return false;
  }
  return true;
}

function listModels(res: http.ServerResponse): void {
  const created = 1_700_000_000;
  sendJson(res, 200, { object: "list", data: MOCK_MODELS.map((id) => ({ id, object: "model", created, owned_by: "openai" })) });
}

export async function startMockOpenAI(options: { port?: number; host?: string } = {}): Promise<MockOpenAI> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://mock");
    const key = bearer(req);
    requests.push({
      method: req.method ?? "GET",
      path: url.pathname,
      keyHint: key ? key.slice(-4) : null,
      organization: (req.headers["openai-organization"] as string | undefined) ?? null,
      project: (req.headers["openai-project"] as string | undefined) ?? null,
    });
    if (!authorize(req, res)) return;
    if (req.method === "GET" && url.pathname === "/v1/models") return listModels(res);
    const model = /^\/v1\/models\/([^/]+)$/.exec(url.pathname)?.[1];
    if (req.method === "GET" && model) {
      if (!MOCK_MODELS.includes(model)) {
        return sendError(res, 404, { message: `The model '${model}' does not exist`, type: "invalid_request_error", param: "model", code: "model_not_found" });
      }
      return sendJson(res, 200, { id: model, object: "model", created: 1_700_000_000, owned_by: "openai" });
    }
    sendError(res, 404, { message: `Unknown request URL: ${req.method} ${url.pathname}.`, type: "invalid_request_error", param: null, code: "unknown_url" });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${options.host ?? "127.0.0.1"}:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
