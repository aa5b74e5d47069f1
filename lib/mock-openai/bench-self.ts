// How fast is the mock itself? `npx tsx lib/mock-openai/bench-self.ts [--connections 50] [--duration 5] [--builtin]`.
// The gateway benchmark is only meaningful if the mock upstream is far faster than the gateway, so this
// measures it alone: the mock in a child process (its own core), small JSON chat completions, keep-alive.
// autocannon drives the load when installed (unless --builtin); otherwise the minimal keep-alive client below.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "5" },
    builtin: { type: "boolean", default: false },
  },
});
const { connections, duration } = z
  .object({ connections: z.coerce.number().int().min(1), duration: z.coerce.number().min(1) })
  .parse(values);

const BODY = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Say hello." }] });
const HEADERS = { authorization: "Bearer sk-bench", "content-type": "application/json" };
const root = fileURLToPath(new URL("../..", import.meta.url));

async function startMock(): Promise<{ port: number; stop(): void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/mock-openai/main.ts", "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      const match = /:(\d+)\/v1/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`mock exited with ${code}`)));
  });
  return { port, stop: () => void child.kill("SIGTERM") };
}

const autocannonResult = z.object({
  requests: z.object({ average: z.number() }),
  non2xx: z.number(),
  errors: z.number(),
});

function withAutocannon(bin: string, port: number): { rps: number; failures: number } {
  const headers = Object.entries(HEADERS).flatMap(([k, v]) => ["-H", `${k}=${v}`]);
  const args = [
    "--json",
    "-c",
    String(connections),
    "-d",
    String(duration),
    "-m",
    "POST",
    "-b",
    BODY,
    ...headers,
    `http://127.0.0.1:${port}/v1/chat/completions`,
  ];
  const run = spawnSync(bin, args, { encoding: "utf8" });
  const result = autocannonResult.parse(JSON.parse(run.stdout));
  return { rps: result.requests.average, failures: result.non2xx + result.errors };
}

// One request in flight per connection, like autocannon without pipelining; responses are counted by
// their content-length, which the mock always sends for JSON.
function withRawClient(port: number): Promise<{ rps: number; failures: number }> {
  const head = Object.entries(HEADERS)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  const request = Buffer.from(
    `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${head}content-length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`,
  );
  let done = 0;
  let failures = 0;
  let running = true;
  const sockets = Array.from({ length: connections }, () => {
    const socket = net.connect({ port, host: "127.0.0.1", noDelay: true });
    let pending: Buffer = Buffer.alloc(0);
    socket.on("connect", () => socket.write(request));
    socket.on("error", () => (failures += 1));
    socket.on("data", (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        const end = pending.indexOf("\r\n\r\n");
        if (end === -1) return;
        const length = Number(/content-length: (\d+)/i.exec(pending.subarray(0, end).toString("latin1"))?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        if (pending.subarray(9, 12).toString() !== "200") failures += 1;
        done += 1;
        pending = pending.subarray(end + 4 + length);
        if (running) socket.write(request);
      }
    });
    return socket;
  });
  return new Promise((resolve) =>
    setTimeout(() => {
      running = false;
      for (const socket of sockets) socket.destroy();
      resolve({ rps: done / duration, failures });
    }, duration * 1000),
  );
}

const mock = await startMock();
try {
  const bin = `${root}node_modules/.bin/autocannon`;
  const useAutocannon = existsSync(bin) && !values.builtin;
  const tool = useAutocannon ? "autocannon" : "built-in keep-alive client";
  const { rps, failures } = useAutocannon ? withAutocannon(bin, mock.port) : await withRawClient(mock.port);
  process.stdout.write(
    `mock chat completion (JSON): ${Math.round(rps)} req/s, ${connections} connections, ${duration} s, ${failures} failures — ${tool}\n`,
  );
} finally {
  mock.stop();
}
