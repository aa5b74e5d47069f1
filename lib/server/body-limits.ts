// How large a request body the edge relays to the web process, by path, and its 413 when one is larger.
// Without these the web process reads whatever arrives: the management API parsed a 600 MB body (its RSS
// went from 1 GB to 1.6 GB), and Next refuses an over-large server action without reading the rest of it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ERROR_CODES } from "@/lib/api/errors";
import { ERRORS } from "@/lib/proxy/errors";
import { lingerAfterResponse } from "./linger";

const MB = 1024 * 1024;

/**
 * Pages and server actions (every path outside /api/): the app's forms carry a few fields of text (names,
 * e-mail addresses, key settings); none uploads a file. Next itself refuses server-action bodies over 1 MB
 * (`serverActions.bodySizeLimit`), so nothing larger can ever succeed.
 */
export const PAGE_BODY_LIMIT_BYTES = 1 * MB;

/**
 * The management API (/api/…, Auth.js included): JSON documents whose largest (a key with 50 model patterns
 * and 100 IP ranges) is about 10 KB. 1 MB leaves a hundred times that, and keeps what many parallel callers
 * can make the web process hold to megabytes.
 */
export const API_BODY_LIMIT_BYTES = 1 * MB;

/**
 * The proxy's paths (/v1/…, /api/v1/…): the proxy's own cap (for audio uploads), applied by both its entry
 * points in lib/proxy/adapters.ts, and by the edge to what it relays with PROXY_FAST_PATH=off.
 */
export const PROXY_BODY_LIMIT_BYTES = 32 * MB;

type Kind = "page" | "api" | "proxy";

const LIMITS: Record<Kind, number> = {
  page: PAGE_BODY_LIMIT_BYTES,
  api: API_BODY_LIMIT_BYTES,
  proxy: PROXY_BODY_LIMIT_BYTES,
};

/**
 * The kind of a request target, by its path with dot segments resolved as Next resolves them: so
 * `/v1/../api/teams/…` counts as the management API, and cannot borrow the proxy's larger limit.
 */
function kindOf(url: string): Kind {
  let path: string;
  try {
    path = new URL(url, "http://edge.invalid").pathname;
  } catch {
    return "page"; // unparsable: the strictest limit; Next will refuse it anyway
  }
  if (path.startsWith("/v1/") || path.startsWith("/api/v1/")) return "proxy";
  if (path === "/api" || path.startsWith("/api/")) return "api";
  return "page";
}

export type BodyLimit = { kind: Kind; bytes: number };

export function bodyLimitFor(url: string): BodyLimit {
  const kind = kindOf(url);
  return { kind, bytes: LIMITS[kind] };
}

/** The declared length, or null for a chunked body (or none): then it is counted as it streams. */
export function declaredLength(req: IncomingMessage): number | null {
  const value = req.headers["content-length"];
  if (value === undefined || req.headers["transfer-encoding"] !== undefined) return null;
  const length = Number(value);
  return Number.isFinite(length) ? length : null;
}

const PAGE_TOO_LARGE = "The request is too large.\n";
const API_TOO_LARGE = JSON.stringify({
  error: { code: "payload_too_large", message: ERROR_CODES.payload_too_large.message },
});

/**
 * Answers 413 in the shape the path's clients expect (OpenAI's on the proxy paths, the app's error on the
 * API, text elsewhere), and reads and drops what is still coming, so the client reads the answer.
 */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: BodyLimit): void {
  lingerAfterResponse(req, res);
  const [type, body] =
    limit.kind === "proxy"
      ? ["application/json", ERRORS.bodyTooLarge.body]
      : limit.kind === "api"
        ? ["application/json", API_TOO_LARGE]
        : ["text/plain; charset=utf-8", PAGE_TOO_LARGE];
  res.writeHead(413, { "content-type": type, "content-length": Buffer.byteLength(body) }).end(body);
}
