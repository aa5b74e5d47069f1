// The production server: one node:http server in front of Next.js. It prepares the runtime (secrets,
// database, migrations), stamps the client IP from the socket, and shuts everything down cleanly.
import http from "node:http";
import next from "next";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { KeyringError } from "@/lib/crypto/keyring";
import { EnvError } from "@/lib/env";
import { logger } from "@/lib/logger";
import { prepareRuntime } from "@/lib/server/runtime";
import { closeProxyRuntime, handleNode, proxyRuntime } from "@/lib/proxy/adapters";
import { clientIpResolver, EDGE_TOKEN_HEADER, edgeToken } from "@/lib/proxy/client-ip";
import { serveMetrics } from "@/lib/proxy/metrics-endpoint";
import { resumeReencryptionJobs } from "@/lib/vault/reencryption-job";

const dev = process.argv.includes("--dev");
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const runtime = await prepareRuntime({ log: (message) => logger.info(message), notice: (message) => logger.warn(message), debug: (message) => logger.debug(message) });
  const { HOST, PORT, APP_URL } = runtime.env;
  process.env.NEXTAUTH_URL ??= APP_URL;

  const app = next({ dev, dir: process.cwd(), hostname: HOST, port: PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const resumed = await resumeReencryptionJobs();
  if (resumed > 0) logger.info({ jobs: resumed }, "resumed re-encryption jobs");

  const clientIp = clientIpResolver(runtime.env.TRUSTED_PROXIES);
  const token = edgeToken();
  const proxy = await proxyRuntime();
  const fastPath = runtime.env.PROXY_FAST_PATH === "on";

  const server = http.createServer((req, res) => {
    const ip = clientIp(req.socket.remoteAddress ?? "", req.headers["x-forwarded-for"]);
    // The hot path: /v1/* straight to the proxy core, around Next's router (see ENVIRONMENT.md for why).
    if (fastPath && req.url?.startsWith("/v1/")) return handleNode(proxy, req, res, ip);
    if (req.url === "/metrics") return serveMetrics(req, res, runtime.env.METRICS_TOKEN);
    // Only this server may say where a request came from: these overwrite anything the client sent.
    req.headers[CLIENT_IP_HEADER] = ip;
    req.headers[EDGE_TOKEN_HEADER] = token;
    if (logger.isLevelEnabled("debug")) {
      const started = performance.now();
      // The path only: query strings are not logged, in case a client ever puts something secret there.
      const path = (req.url ?? "/").split("?")[0];
      res.once("finish", () => logger.debug({ method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) }, "request"));
    }
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const forced = setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS + 5_000);
    forced.unref();
    // Stop accepting; let open requests (streams included) finish until the deadline, then cut them.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_DEADLINE_MS);
    await closed;
    clearTimeout(deadline);
    await closeProxyRuntime(); // flushes metered usage
    await app.close().catch(() => undefined);
    await runtime.stop();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  await new Promise<void>((resolve) => server.listen(PORT, HOST, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : PORT;
  logger.info({ address: `${HOST}:${port}`, embeddedDatabase: runtime.embedded }, `Keyward is ready on http://${HOST}:${port}`);
}

main().catch((error: unknown) => {
  // Operator mistakes (configuration, missing keys) read best as plain text; their messages hold no secret.
  if (error instanceof EnvError || error instanceof KeyringError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    logger.fatal({ err: error }, "start-up failed");
  }
  process.exit(1);
});
