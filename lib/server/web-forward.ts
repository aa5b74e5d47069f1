// The edge's way to the web process: every request the edge does not answer itself (pages, server actions,
// the management API, assets) is relayed to Next on 127.0.0.1 over kept-alive connections, streamed both
// ways, with the client's address stamped by the edge. WebSocket upgrades are spliced only for Next's dev
// reload (`npm run dev`); the app itself has none, so in production every upgrade is refused.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import net from "node:net";
import { pipeline, type Duplex } from "node:stream";
import { logger } from "@/lib/logger";

// Connection-level headers belong to one hop: they are not forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer"];

export type WebForwarder = {
  forward(req: IncomingMessage, res: ServerResponse, stamp: Record<string, string>): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, stamp: Record<string, string>): void;
  /** Cuts every spliced upgrade: the server's close() does not see them, and they would hold it open. */
  closeUpgrades(): void;
  /** Drops the kept-alive connections to the web process, and any upgrade left. */
  close(): void;
};

/** Next's dev reload socket: the only upgrade relayed, and only when `devUpgrades` is on. */
export function isDevReloadUpgrade(req: IncomingMessage): boolean {
  return (req.url ?? "").startsWith("/_next/") && (req.headers.upgrade ?? "").toLowerCase() === "websocket";
}

function withoutHopHeaders(headers: IncomingHttpHeaders, extra: readonly string[] = []): IncomingHttpHeaders {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  for (const name of extra) delete copy[name];
  return copy;
}

export function webForwarder(port: number, options: { devUpgrades: boolean }): WebForwarder {
  const spliced = new Set<Duplex>();
  // No cap on sockets: a cap would queue long-lived responses (streams through the route handlers) behind it.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 64 });
  return {
    forward(req, res, stamp) {
      const upstream = http.request(
        {
          host: "127.0.0.1",
          port,
          method: req.method,
          path: req.url,
          headers: { ...withoutHopHeaders(req.headers), ...stamp },
          agent,
        },
        (answer) => {
          // Transfer framing is this hop's business: Node frames the body again for the client.
          res.writeHead(answer.statusCode ?? 502, withoutHopHeaders(answer.headers, ["transfer-encoding"]));
          // An answer cut short (the web process died mid-body) cuts the client's too, instead of hanging it.
          pipeline(answer, res, (error) => {
            if (error) res.destroy();
          });
        },
      );
      upstream.on("error", (error) => {
        if (res.headersSent) return void res.destroy();
        logger.error({ err: error }, "the web process did not answer");
        res
          .writeHead(502, { "content-type": "text/plain; charset=utf-8" })
          .end("Keyward's dashboard is not answering. Try again in a moment.\n");
      });
      res.once("close", () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    },
    upgrade(req, socket, head, stamp) {
      if (!options.devUpgrades || !isDevReloadUpgrade(req)) {
        socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", () =>
          socket.destroy(),
        );
        return;
      }
      const upstream = net.connect(port, "127.0.0.1", () => {
        const lines = [`${req.method ?? "GET"} ${req.url ?? "/"} HTTP/1.1`];
        for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
          const name = req.rawHeaders[i] ?? "";
          if (!Object.hasOwn(stamp, name.toLowerCase())) lines.push(`${name}: ${req.rawHeaders[i + 1] ?? ""}`);
        }
        for (const [name, value] of Object.entries(stamp)) lines.push(`${name}: ${value}`);
        upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
      });
      spliced.add(socket);
      const end = () => {
        spliced.delete(socket);
        upstream.destroy();
        socket.destroy();
      };
      upstream.on("error", end);
      socket.on("error", end);
      upstream.on("close", end);
      socket.on("close", end);
    },
    closeUpgrades() {
      for (const socket of spliced) socket.destroy();
      spliced.clear();
    },
    close() {
      agent.destroy();
      this.closeUpgrades();
    },
  };
}
