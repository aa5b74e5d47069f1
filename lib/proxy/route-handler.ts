// The route handlers' side of the proxy (app/v1/… and its mirror app/api/v1/…): web Request in, streamed
// web Response out, through the same core as the fast path.
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { handleWeb } from "./adapters";
import { trustedClientIp } from "./client-ip";

/** `prefix` is the mount point ("/v1" or "/api/v1"); the client IP counts only when our edge stamped it. */
export function proxyRoute(prefix: string) {
  return (request: Request): Promise<Response> => handleWeb(request, prefix, trustedClientIp(request.headers, CLIENT_IP_HEADER) ?? "");
}
