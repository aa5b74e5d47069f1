// GET /metrics — Prometheus text format. With METRICS_TOKEN set it needs "Authorization: Bearer <token>"
// (compared in constant time), from anywhere. Without one it answers only a client on this machine: a
// loopback address, on a request no proxy relayed (a reverse proxy on the same host would otherwise make
// it public). Metrics name teams' traffic and errors: they are not for the world by default.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";
import { safeEqual } from "@/lib/crypto/tokens";
import { metrics } from "./metrics";

export type MetricsAccess = "allowed" | "unauthorized" | "loopback-only";

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x — nothing else counts as this machine. */
export function isLoopback(ip: string): boolean {
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  if (isIP(v4) === 4) return v4.split(".")[0] === "127";
  return isIP(ip) === 6 && /^(0{0,4}:){7}0{0,3}1$|^::1$/i.test(ip);
}

export function metricsAccess(
  token: string | undefined,
  clientIp: string,
  headers: IncomingHttpHeaders,
): MetricsAccess {
  if (token) return safeEqual(headers.authorization ?? "", `Bearer ${token}`) ? "allowed" : "unauthorized";
  const relayed = headers["x-forwarded-for"] !== undefined || headers.forwarded !== undefined;
  return isLoopback(clientIp) && !relayed ? "allowed" : "loopback-only";
}

/** `clientIp` is the edge's resolved client address (the socket's, or X-Forwarded-For from TRUSTED_PROXIES). */
export function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  options: { token: string | undefined; clientIp: string },
): void {
  const access = metricsAccess(options.token, options.clientIp, req.headers);
  if (access === "unauthorized") {
    res.writeHead(401, { "content-type": "text/plain" }).end("unauthorized\n");
    return;
  }
  if (access === "loopback-only") {
    res
      .writeHead(403, { "content-type": "text/plain" })
      .end("/metrics answers only on loopback; set METRICS_TOKEN to scrape it from elsewhere\n");
    return;
  }
  const { registry } = metrics();
  void registry.metrics().then((text) => res.writeHead(200, { "content-type": registry.contentType }).end(text));
}
