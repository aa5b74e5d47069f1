// Cross-site request forgery stops here, for every state-changing request Next serves (proxy.ts): a POST,
// PUT, PATCH or DELETE must carry an Origin equal to the app's own. SameSite=Lax cookies alone left holes
// (measured: a cookie-authenticated text/plain POST from a foreign page added an upstream key; a server
// action without Origin ran). The one exception is a management API call authenticated only by
// `Authorization: Bearer` with no session cookie: no browser attaches that on its own, so it cannot be
// forged cross-site, and the CLI, SDKs and curl send no Origin. Server actions and next-auth's endpoints get
// no exception, whatever they carry.
import type { ErrorCode } from "@/lib/api/errors";
import { hasSessionCookie } from "@/lib/auth/cookies";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const BEARER = /^Bearer\s+\S+$/i;

export const ORIGIN_REFUSED = "This request did not come from Keyward's own pages, so it was refused.";

type RequestHead = { method: string; pathname: string; headers: Pick<Headers, "get" | "has"> };

/** Whether this request changes state under a browser's ambient authority, so its Origin must be ours. */
export function needsSameOrigin({ method, pathname, headers }: RequestHead): boolean {
  if (!STATE_CHANGING.has(method.toUpperCase())) return false;
  const managementApi = pathname.startsWith("/api/") && !pathname.startsWith("/api/auth/");
  const bearerOnly =
    BEARER.test(headers.get("authorization") ?? "") &&
    !headers.has("next-action") &&
    !hasSessionCookie(headers.get("cookie"));
  return !(managementApi && bearerOnly);
}

/**
 * The origin a request to this app must come from: APP_URL's when the operator set it (the source of truth
 * for links and cookies too), else the request's own Host over http, which the edge leaves as the client
 * sent it and which a browser always sends as the address it is on (forwarded.ts).
 */
export function expectedOrigin(configured: URL | null, host: string | null): string | null {
  if (configured) return configured.origin;
  if (!host) return null;
  try {
    return new URL(`http://${host}`).origin;
  } catch {
    return null;
  }
}

/** null when the request may go on; otherwise the 403 to answer (JSON, errors.ts's shape, on /api). */
export function originRefusal(request: RequestHead, expected: string | null): Response | null {
  if (!needsSameOrigin(request)) return null;
  const origin = request.headers.get("origin");
  if (origin && expected && origin === expected) return null;
  if (request.pathname.startsWith("/api/")) {
    const code: ErrorCode = "forbidden";
    return Response.json({ error: { code, message: ORIGIN_REFUSED } }, { status: 403 });
  }
  return new Response(`${ORIGIN_REFUSED}\n`, { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
}
