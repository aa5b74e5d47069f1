// The route handlers' side of the proxy (app/v1/… and its mirror app/api/v1/…): web Request in, streamed
// web Response out, through the same core as the fast path.
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { env } from "@/lib/env";
import { handleWeb } from "./adapters";
import { trustedClientIp } from "./client-ip";
import { ERRORS } from "./errors";

/**
 * `prefix` is the mount point ("/v1" or "/api/v1"); the client IP counts only when our edge stamped it.
 * When the edge answers the proxy paths itself, a request can only get here by a detour (a path such as
 * /x/../v1/… that Next normalises): it is refused, so limits and budgets live in one process only.
 */
export function proxyRoute(prefix: string) {
  return async (request: Request): Promise<Response> => {
    if (env().KEYWARD_PROXY_OWNER === "edge") {
      const refusal = ERRORS.unknownUrl(request.method, new URL(request.url).pathname);
      return new Response(refusal.body, { status: refusal.status, headers: { "content-type": "application/json" } });
    }
    return handleWeb(request, prefix, trustedClientIp(request.headers, CLIENT_IP_HEADER) ?? "");
  };
}
