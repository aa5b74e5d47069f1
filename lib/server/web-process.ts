// The web process: Next.js (pages, server actions, the management API, the route-handler proxy path),
// started by the edge (server.ts) with an IPC channel and listening on 127.0.0.1 only. The edge has already
// prepared the database and migrations; this process never starts or migrates anything itself.
//
// It takes orders from the edge alone: SIGINT/SIGTERM sent to the whole process group are ignored (the edge
// drains first and then says "shutdown"). When the edge goes away without a word (kill -9, a crash), it stops
// as if told to: the database runs apart from the edge and is still up, so what was metered here is written.
import http from "node:http";
import next from "next";
import { setKeyChangeRelay, type KeyChange } from "@/lib/keys/key-changes";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { closeProxyRuntime } from "@/lib/proxy/adapters";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { edgeToken, trustedClientIp } from "@/lib/proxy/client-ip";
import { serveMetrics } from "@/lib/proxy/metrics-endpoint";
import { edgeMessageSchema, type WebMessage } from "@/lib/server/ipc";
import { resumeReencryptionJobs } from "@/lib/vault/reencryption-job";
import { startSignInHousekeeping } from "@/lib/auth/housekeeping";
import { startJobRunner, type JobRunner } from "@/lib/jobs/queue";
import { auditDeliveryQueue } from "@/lib/audit/webhooks";
import { AUDIT_PRUNE_QUEUE, auditPruneQueue } from "@/lib/audit/retention";
import { ROTATION_SWEEP_CRON, rotationQueues } from "@/lib/rotation/jobs";
import { ROTATION_SWEEP_QUEUE } from "@/lib/rotation/sweep";

const RELAY_TIMEOUT_MS = 5_000;
// Only for a stop nobody oversees (the edge is gone); after "shutdown" the edge's own deadline applies first.
const STOP_DEADLINE_MS = 15_000;
const dev = process.argv.includes("--dev");

function send(message: WebMessage): void {
  if (process.connected) process.send?.(message);
}

/** Key changes committed here reach the edge's proxy caches before the change's request is answered. */
function relayKeyChanges(): (id: number) => void {
  const waiting = new Map<number, () => void>();
  let nextId = 0;
  setKeyChangeRelay(
    (change: KeyChange) =>
      new Promise<void>((resolve) => {
        const id = ++nextId;
        const timer = setTimeout(() => {
          // The NOTIFY sent with the commit still reaches the edge; only the "before the answer" promise is lost.
          waiting.delete(id);
          logger.warn("the edge did not confirm a key change in time");
          resolve();
        }, RELAY_TIMEOUT_MS);
        waiting.set(id, () => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve();
        });
        send({ type: "key-change", id, change });
      }),
  );
  return (id) => waiting.get(id)?.();
}

async function main(): Promise<void> {
  if (!process.send) throw new Error("the web process is started by server.ts, with an IPC channel");
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => undefined);
  // Before the server is up nothing was served or metered: leaving at once loses nothing.
  let stop = (): void => process.exit(0);
  process.once("disconnect", () => stop());

  const config = env();
  const applied = relayKeyChanges();
  const app = next({ dev, dir: process.cwd(), hostname: "127.0.0.1", port: config.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const resumed = await resumeReencryptionJobs();
  if (resumed > 0) logger.info({ jobs: resumed }, "resumed re-encryption jobs");
  const stopHousekeeping = startSignInHousekeeping();
  // The job queue (pg-boss): audit webhook deliveries. Without it the app still serves; deliveries wait in
  // the queue for a server whose runner is up.
  // Daily at 03:17 UTC, once per cluster (pg-boss deduplicates schedules): audit events past retention.
  // Every minute, once per cluster: the key rotation sweep (reminders, grace expiry, ends of roll overlaps).
  const jobs: JobRunner | null = await startJobRunner([auditDeliveryQueue(), auditPruneQueue(), ...rotationQueues()], {
    schedules: [
      { queue: AUDIT_PRUNE_QUEUE, cron: "17 3 * * *" },
      { queue: ROTATION_SWEEP_QUEUE, cron: ROTATION_SWEEP_CRON },
    ],
  }).catch((error: unknown) => {
    logger.error(
      { err: error },
      "the job queue could not start: audit webhooks, rotation reminders and rotation expiry do not run on this server",
    );
    return null;
  });

  const server = http.createServer((req, res) => {
    // Reached only with PROXY_FAST_PATH=off: then the proxy (and its metrics) live in this process.
    if (req.url === "/metrics") {
      const stamped = trustedClientIp({ get: (name) => headerValue(req.headers[name]) }, CLIENT_IP_HEADER);
      return serveMetrics(req, res, { token: config.METRICS_TOKEN, clientIp: stamped ?? "" });
    }
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  stop = () => {
    if (stopping) return;
    stopping = true;
    stopHousekeeping();
    setTimeout(() => process.exit(1), STOP_DEADLINE_MS).unref();
    // With PROXY_FAST_PATH=off the proxy runs here: open streams finish, then its metered usage is written.
    server.close(
      () =>
        void closeProxyRuntime()
          .then(() => jobs?.stop())
          .then(() => app.close())
          .catch(() => undefined)
          .finally(() => process.exit(0)),
    );
    server.closeIdleConnections();
  };
  process.on("message", (raw) => {
    const message = edgeMessageSchema.safeParse(raw);
    if (!message.success) return;
    if (message.data.type === "key-change-applied") return applied(message.data.id);
    stop();
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("the web process has no address");
  send({ type: "ready", port: address.port, edgeToken: edgeToken() });
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, "the web process failed to start");
  process.exit(1);
});

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
