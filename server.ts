// The production server's edge process. It prepares the runtime (secrets, database, migrations), starts the
// web process (Next.js, lib/server/web-process.ts) on an internal port, and listens on PORT itself:
// - /v1/* and /api/v1/* go straight to the proxy core (the fast path), in this process, which loads neither
//   Next.js nor Prisma: no async-hook cost on every promise, no framework heap (see ENVIRONMENT.md);
// - everything else is relayed to the web process, with the client's address stamped from the socket.
// With PROXY_FAST_PATH=off the proxy paths are relayed too, and Next's route handlers answer them.
import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { KeyringError } from "@/lib/crypto/keyring";
import { masterKeyAge, masterKeyWarning, recordMasterKeyVersion } from "@/lib/crypto/master-key-age";
import { withClient } from "@/lib/db/admin";
import { metrics } from "@/lib/proxy/metrics";
import { EnvError, parseListenAddress } from "@/lib/env";
import { publishCommittedKeyChange } from "@/lib/keys/key-changes";
import { logger } from "@/lib/logger";
import { closeProxyRuntime, handleNode, proxyRuntime } from "@/lib/proxy/adapters";
import { clientIpResolver, EDGE_TOKEN_HEADER } from "@/lib/proxy/client-ip";
import { serveMetrics } from "@/lib/proxy/metrics-endpoint";
import { webMessageSchema, type EdgeMessage } from "@/lib/server/ipc";
import { prepareRuntime } from "@/lib/server/runtime";
import { startupFailureLine, StartupError } from "@/lib/server/startup-error";
import { isPortFree } from "@/lib/db/embedded-location";
import { configuredAppUrl, forwardedHeaders } from "@/lib/server/forwarded";
import { webForwarder } from "@/lib/server/web-forward";

const dev = process.argv.includes("--dev");
const SHUTDOWN_DEADLINE_MS = 10_000;
const WEB_READY_TIMEOUT_MS = 180_000;
const WEB_EXIT_GRACE_MS = 5_000;
const WEB_PROCESS = path.join(process.cwd(), "lib", "server", "web-process.ts"); // the app runs from its root, as Next does

type Web = { child: ChildProcess; port: number; edgeToken: string; exited: Promise<number | null> };

/** Starts the web process and waits for its "ready"; key changes it commits are applied here first. */
function startWeb(proxyOwner: "edge" | "web", started: (child: ChildProcess) => void): Promise<Web> {
  const child = fork(WEB_PROCESS, dev ? ["--dev"] : [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, KEYWARD_PROXY_OWNER: proxyOwner },
    stdio: "inherit",
  });
  started(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null))),
  );
  const tell = (message: EdgeMessage) => void (child.connected && child.send(message));
  return new Promise<Web>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the web process was not ready after ${WEB_READY_TIMEOUT_MS / 1000} s`)),
      WEB_READY_TIMEOUT_MS,
    );
    void exited.then((code) => reject(new Error(`the web process exited (${code}) before it was ready`)));
    child.on("message", (raw) => {
      const message = webMessageSchema.safeParse(raw);
      if (!message.success) return logger.warn("ignored a malformed message from the web process");
      if (message.data.type === "ready") {
        clearTimeout(timer);
        resolve({ child, port: message.data.port, edgeToken: message.data.edgeToken, exited });
      } else {
        const { id, change } = message.data;
        void publishCommittedKeyChange(change).finally(() => tell({ type: "key-change-applied", id }));
      }
    });
  });
}

async function main(): Promise<void> {
  // Before anything is created or started: a second Keyward on the same PORT fails at once, by name.
  const listen = parseListenAddress(process.env);
  if (listen.PORT !== 0 && !(await isPortFree(listen.PORT, listen.HOST))) {
    throw new StartupError(
      `port ${listen.PORT} on ${listen.HOST} (PORT) is in use by another program.`,
      `set PORT to a free port, e.g. \`PORT=${listen.PORT + 1} npm start\`.`,
    );
  }
  const runtime = await prepareRuntime({
    log: (message) => logger.info(message),
    notice: (message) => logger.warn(message),
    debug: (message) => logger.debug(message),
  });
  const { HOST, PORT, APP_URL } = runtime.env;
  // The master key's age: a warning now, and /metrics's gauges (the same figure /api/ready reports).
  const firstSeenAt = await withClient(process.env.DATABASE_URL ?? "", (client) =>
    recordMasterKeyVersion(client, runtime.env.ENCRYPTION_KEY_VERSION),
  );
  const keyAge = masterKeyAge({
    version: runtime.env.ENCRYPTION_KEY_VERSION,
    firstSeenAt,
    createdAt: runtime.env.ENCRYPTION_KEY_CREATED_AT,
    maxAgeDays: runtime.env.ENCRYPTION_KEY_MAX_AGE_DAYS,
    now: new Date(),
  });
  metrics().masterKeyAgeDays.set(keyAge.ageDays);
  metrics().masterKeyRotationDue.set(keyAge.rotationDue ? 1 : 0);
  if (keyAge.rotationDue) logger.warn({ masterKey: keyAge }, masterKeyWarning(keyAge));
  process.env.NEXTAUTH_URL ??= APP_URL;

  // A signal while the web process starts (up to minutes in dev): stop it and the database, then leave.
  let starting: ChildProcess | null = null;
  const stopEarly = (signal: string) => {
    logger.info({ signal }, "stopping before start-up finished");
    starting?.kill("SIGKILL");
    void runtime.stop().finally(() => process.exit(1));
  };
  process.on("SIGINT", stopEarly);
  process.on("SIGTERM", stopEarly);

  const fastPath = runtime.env.PROXY_FAST_PATH === "on";
  const [web, proxy] = await Promise.all([
    startWeb(fastPath ? "edge" : "web", (child) => (starting = child)),
    fastPath ? proxyRuntime() : null,
  ]).catch(async (error: unknown) => {
    await runtime.stop().catch(() => undefined);
    throw error;
  });
  process.off("SIGINT", stopEarly);
  process.off("SIGTERM", stopEarly);
  const forwarder = webForwarder(web.port, { devUpgrades: dev });
  const clientIp = clientIpResolver(runtime.env.TRUSTED_PROXIES);
  const forwarded = forwardedHeaders(configuredAppUrl(process.env, APP_URL));
  const accessLog = logger.isLevelEnabled("debug");

  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    const ip = clientIp(req.socket.remoteAddress ?? "", req.headers["x-forwarded-for"]);
    // The hot path (see ENVIRONMENT.md for why it stays out of Next's router). /api/v1 is the same API.
    if (proxy && url.startsWith("/v1/")) return handleNode(proxy, req, res, ip);
    if (proxy && url.startsWith("/api/v1/")) {
      req.url = url.slice(4);
      return handleNode(proxy, req, res, ip);
    }
    if (proxy && url === "/metrics") return serveMetrics(req, res, { token: runtime.env.METRICS_TOKEN, clientIp: ip });
    if (accessLog) {
      const started = performance.now();
      // The path only: query strings are not logged, in case a client ever puts something secret there.
      const pathOnly = url.split("?")[0];
      res.once("finish", () =>
        logger.debug(
          { method: req.method, path: pathOnly, status: res.statusCode, ms: Math.round(performance.now() - started) },
          "request",
        ),
      );
    }
    // Only the edge may say where a request came from and where it went: the client's copies are dropped.
    forwarder.forward(req, res, { ...forwarded(req, ip), [CLIENT_IP_HEADER]: ip, [EDGE_TOKEN_HEADER]: web.edgeToken });
  });
  server.on("upgrade", (req, socket, head) => {
    const ip = clientIp(req.socket.remoteAddress ?? "", req.headers["x-forwarded-for"]);
    forwarder.upgrade(req, socket, head, {
      ...forwarded(req, ip),
      [CLIENT_IP_HEADER]: ip,
      [EDGE_TOKEN_HEADER]: web.edgeToken,
    });
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "shutting down");
    const forced = setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS + WEB_EXIT_GRACE_MS + 5_000);
    forced.unref();
    // Stop accepting; let open requests (streams included) finish until the deadline, then cut them.
    forwarder.closeUpgrades();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_DEADLINE_MS);
    await closed;
    clearTimeout(deadline);
    await closeProxyRuntime(); // flushes metered usage
    forwarder.close();
    if (web.child.exitCode === null && web.child.connected) {
      web.child.send({ type: "shutdown" } satisfies EdgeMessage);
      const killer = setTimeout(() => web.child.kill("SIGKILL"), WEB_EXIT_GRACE_MS);
      await web.exited;
      clearTimeout(killer);
    }
    await runtime.stop();
    logger.info("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  void web.exited.then((exitCode) => {
    if (stopping) return;
    logger.fatal({ exitCode }, "the web process exited; stopping");
    void shutdown("web process exited", 1);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(PORT, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    // Taken between the check above and now: say so, and stop what was started (shutdown() exits).
    reportStartupFailure(error);
    await shutdown("listen failed", 1);
  });
  if (!server.listening) return;
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : PORT;
  logger.info(
    { address: `${HOST}:${port}`, embeddedDatabase: runtime.embedded },
    `Keyward is ready on http://${HOST}:${port}`,
  );
}

/** Says why start-up failed: plain text for a person, plus the JSON line for log collectors. */
function reportStartupFailure(error: unknown): void {
  // Operator mistakes (configuration, missing keys) read best as plain text; their messages hold no secret.
  if (error instanceof EnvError || error instanceof KeyringError) {
    process.stderr.write(`${error.message}\n`);
    return;
  }
  // The JSON line carries the cause and PostgreSQL's last output; the stderr line says what went wrong and,
  // for a StartupError, what to do.
  logger.fatal({ err: error }, "start-up failed");
  process.stderr.write(`${startupFailureLine(error)}\n`);
}

main().catch((error: unknown) => {
  reportStartupFailure(error);
  process.exit(1);
});
