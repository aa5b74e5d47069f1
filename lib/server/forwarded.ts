// The forwarded headers the web process sees are the edge's, never the client's. Next trusts
// X-Forwarded-Host over Host when it checks a server action's Origin, so a relayed client copy let a foreign
// Origin plus `X-Forwarded-Host: evil.example` pass that check. The edge drops every copy a client sent
// (webForwarder does, with CLIENT_FORWARDING_HEADERS) and sets its own from what it knows: the host and
// scheme of APP_URL when the operator set it (the address users reach, also behind a TLS proxy), else the
// request's Host over plain http (the edge speaks nothing else); and, for a request some proxy relayed (it
// came with X-Forwarded-For or Forwarded), X-Forwarded-For with the client's address as resolved once with
// TRUSTED_PROXIES (lib/proxy/client-ip.ts). That one is set only then: /metrics in the web process
// (PROXY_FAST_PATH=off) refuses a relayed request even from loopback, as the edge's own /metrics does.
import type { IncomingMessage } from "node:http";

export const CLIENT_FORWARDING_HEADERS = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
] as const;

// A Host header as RFC 9110 allows it: a name or an IP literal, and a port. Anything else is not relayed.
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function forwardedHeaders(
  appUrl: URL | null,
): (req: Pick<IncomingMessage, "headers">, clientIp: string) => Record<string, string> {
  const proto = appUrl ? appUrl.protocol.replace(/:$/, "") : "http";
  return (req, clientIp) => {
    const host = appUrl?.host ?? req.headers.host;
    const relayed = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined;
    return {
      ...(relayed ? { "x-forwarded-for": clientIp } : {}),
      "x-forwarded-proto": proto,
      ...(host && HOST.test(host) ? { "x-forwarded-host": host } : {}),
    };
  };
}

/** APP_URL when the operator set it (not the http://localhost:$PORT default): the one origin users reach. */
export function configuredAppUrl(source: Record<string, string | undefined>, parsedAppUrl: string): URL | null {
  return source.APP_URL?.trim() ? new URL(parsedAppUrl) : null;
}
