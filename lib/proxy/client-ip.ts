// The client's address, decided once at the edge (server.ts): the socket's address, or — only when the
// socket belongs to a trusted proxy (TRUSTED_PROXIES) — the right-most X-Forwarded-For entry that is not
// itself a trusted proxy. Anything else a client sends about its address is ignored.
import { randomBytes } from "node:crypto";
import { compileIpMatcher } from "@/lib/keys/scopes";

export function clientIpResolver(
  trustedProxies: readonly string[],
): (socketIp: string, forwardedFor: string | string[] | undefined) => string {
  const trusted = trustedProxies.length ? compileIpMatcher(trustedProxies) : null;
  return (socketIp, forwardedFor) => {
    if (!trusted || !forwardedFor || !trusted(socketIp)) return socketIp;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] ?? "";
      if (!trusted(hop)) return hop;
    }
    return hops[0] ?? socketIp;
  };
}

/**
 * A random token the edge (server.ts) attaches to every request it hands to Next, so that code inside Next
 * trusts the client-IP header only when it came from our edge — not under a bare `next start`, where a
 * client could send the header itself.
 */
export const EDGE_TOKEN_HEADER = "x-keyward-edge";

export function edgeToken(): string {
  const holder = globalThis as unknown as { keywardEdgeToken?: string };
  holder.keywardEdgeToken ??= randomBytes(16).toString("hex");
  return holder.keywardEdgeToken;
}

/** The edge-stamped client IP, or null when the request did not come through our edge. */
export function trustedClientIp(headers: Pick<Headers, "get">, ipHeader: string): string | null {
  const holder = globalThis as unknown as { keywardEdgeToken?: string };
  if (!holder.keywardEdgeToken || headers.get(EDGE_TOKEN_HEADER) !== holder.keywardEdgeToken) return null;
  return headers.get(ipHeader);
}
