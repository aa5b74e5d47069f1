// GET /metrics — Prometheus text format, behind METRICS_TOKEN when one is set (compared in constant time).
import type { IncomingMessage, ServerResponse } from "node:http";
import { safeEqual } from "@/lib/crypto/tokens";
import { metrics } from "./metrics";

export function serveMetrics(req: IncomingMessage, res: ServerResponse, token: string | undefined): void {
  if (token && !safeEqual(req.headers.authorization ?? "", `Bearer ${token}`)) {
    res.writeHead(401, { "content-type": "text/plain" }).end("unauthorized\n");
    return;
  }
  const { registry } = metrics();
  void registry.metrics().then((text) => res.writeHead(200, { "content-type": registry.contentType }).end(text));
}
