// Preload (`node --import ./bench/loopback-only.mjs …`) for servers that have no host option: Portkey's
// start-server.js calls @hono/node-server's serve({ port }) without a hostname, so Node listens on every
// interface. Here a listen() given a port but no host gets 127.0.0.1, so benchmarks expose nothing beyond
// this machine. Benchmark use only; the harness checks the resulting bind in /proc/net/tcp*.
import net from "node:net";

const LOOPBACK = "127.0.0.1";
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    // listen(port), listen(port, undefined, cb), listen(port, cb), listen(port, backlog): insert the host.
    if (typeof second !== "string") args.splice(1, second === undefined ? 1 : 0, LOOPBACK);
  } else if (
    first &&
    typeof first === "object" &&
    first.host === undefined &&
    first.path === undefined &&
    first.fd === undefined
  ) {
    args[0] = { ...first, host: LOOPBACK };
  }
  return listen.apply(this, args);
};
