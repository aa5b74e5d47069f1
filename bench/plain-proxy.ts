// The practical ceiling for a Node proxy on this machine: node:http in, a keep-alive http.Agent out, /v1/*
// piped to the upstream with nothing else on the path (no auth, no parsing). Benchmark use only.
// `node --import tsx bench/plain-proxy.ts --port 4100 --upstream http://127.0.0.1:4010`
import http from "node:http";
import { parseArgs } from "node:util";
import { z } from "zod";

const { values } = parseArgs({ options: { port: { type: "string" }, upstream: { type: "string" } } });
const options = z
  .object({ port: z.coerce.number().int().min(0).max(65535), upstream: z.url({ protocol: /^http$/ }) })
  .parse(values);
const upstream = new URL(options.upstream);
// Reusing upstream sockets is most of what makes a proxy fast; without keep-alive every call pays a connect.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

const server = http.createServer((req, res) => {
  if (!req.url?.startsWith("/v1/")) {
    res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"Not found"}}');
    return;
  }
  const headers = { ...req.headers, host: upstream.host };
  const outgoing = http.request(
    { agent, hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  outgoing.on("error", () => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
    res.end('{"error":{"message":"Upstream unreachable"}}');
  });
  // A client that goes away (a closed stream) must not leave the upstream request running.
  res.on("close", () => {
    if (!res.writableFinished) outgoing.destroy();
  });
  req.pipe(outgoing);
});
server.keepAliveTimeout = 65_000;
server.listen(options.port, "127.0.0.1", () => process.stdout.write(`plain proxy on 127.0.0.1:${options.port}\n`));
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
