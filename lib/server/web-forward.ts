// The edge's way to the web process: every request the edge does not answer itself (pages, server actions,
// the management API, assets) is relayed to Next on 127.0.0.1 over kept-alive connections, streamed both
// ways, with the client's address stamped by the edge. Bodies over the path's limit (body-limits.ts) are
// refused here with 413 before the web process reads them, and a connection that carried a body is never
// reused (the web process may have left some of it unread). WebSocket upgrades are spliced only for Next's dev
// reload (`npm run dev`); the app itself has none, so in production every upgrade is refused.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import net from "node:net";
import { pipeline, type Duplex } from "node:stream";
import { logger } from "@/lib/logger";
import { bodyLimitFor, declaredLength, refuseTooLarge } from "./body-limits";
import { CLIENT_FORWARDING_HEADERS } from "./forwarded";
import { lingerAfterResponse } from "./linger";

// Connection-level headers belong to one hop: they are not forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer"];
// What a client says about where its request went is never relayed: the edge's stamp says it (forwarded.ts).
const NOT_RELAYED = new Set<string>(CLIENT_FORWARDING_HEADERS);

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
      const limit = bodyLimitFor(req.url ?? "/");
      const declared = declaredLength(req);
      if (declared !== null && declared > limit.bytes) return refuseTooLarge(req, res, limit);
      const carriesBody = declared === null ? req.headers["transfer-encoding"] !== undefined : declared > 0;
      // Set once the edge is done with the web process for this request (the whole answer relayed, or the
      // request cut by the edge): the upstream's errors after that are no news for the client.
      let settled = false;
      const upstream = http.request(
        {
          host: "127.0.0.1",
          port,
          method: req.method,
          path: req.url,
          headers: { ...withoutHopHeaders(req.headers, CLIENT_FORWARDING_HEADERS), ...stamp },
          agent,
        },
        (answer) => {
          // A connection that carried a body is not reused: the web process may have answered without
          // reading all of it (Next refusing a server action reads a little and stops), and the rest would
          // sit in front of the next request on this connection, which would wait behind it until the
          // keep-alive timeout and fail. The edge cannot tell: a body of a few hundred KB is all in the
          // kernel's buffers before the answer, read or not. Node then closes the connection after the
          // answer instead of returning it to the agent's free sockets. (Set here, once the request's head
          // has gone out as keep-alive: a `Connection: close` would make the web process close first, with
          // the body unread, and reset the connection under the answer.)
          if (carriesBody) upstream.shouldKeepAlive = false;
          // The client may still be uploading: it gets this answer with `Connection: close` (unless its body is
          // small), and the rest of its body is read and dropped, so it reads the answer and none of the rest
          // can be taken for its next request. The relay goes on meanwhile: the web process may still read.
          lingerAfterResponse(req, res);
          // Transfer framing is this hop's business: Node frames the body again for the client.
          res.writeHead(answer.statusCode ?? 502, withoutHopHeaders(answer.headers, ["transfer-encoding"]));
          // An answer cut short (the web process died mid-body) cuts the client's too, instead of hanging it.
          pipeline(answer, res, (error) => {
            if (error) res.destroy();
          });
          answer.once("end", () => {
            settled = true;
            if (upstream.writableFinished) return;
            // Done without taking the whole body: the rest is not sent, and the connection is closed. The
            // relay may have paused the client for backpressure: it goes on, into the lingering close.
            stopRelay();
            upstream.destroy();
            req.resume();
          });
        },
      );
      // The body, relayed with backpressure and counted: a chunked one is cut once it passes the limit.
      let received = 0;
      const relay = (chunk: Buffer) => {
        received += chunk.length;
        if (received > limit.bytes) return tooLarge();
        if (!upstream.write(chunk)) req.pause();
      };
      const resume = () => req.resume();
      const endBody = () => upstream.end();
      const stopRelay = () => {
        req.off("data", relay);
        req.off("end", endBody);
        upstream.off("drain", resume);
      };
      const tooLarge = () => {
        stopRelay();
        settled = true;
        // Cut, so the web process sees an aborted request, never a shortened body that looks whole.
        upstream.destroy();
        if (res.headersSent) return void res.destroy();
        refuseTooLarge(req, res, limit);
      };
      req.on("data", relay);
      req.once("end", endBody);
      upstream.on("drain", resume);
      upstream.on("error", (error) => {
        if (settled) return;
        settled = true;
        if (res.headersSent) return void res.destroy();
        logger.error({ err: error }, "the web process did not answer");
        stopRelay();
        lingerAfterResponse(req, res);
        res
          .writeHead(502, { "content-type": "text/plain; charset=utf-8" })
          .end("Keyward's dashboard is not answering. Try again in a moment.\n");
      });
      res.once("close", () => {
        if (res.writableFinished) return;
        // The client went away: the web process is told at once.
        settled = true;
        stopRelay();
        upstream.destroy();
      });
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
          const lower = name.toLowerCase();
          if (!Object.hasOwn(stamp, lower) && !NOT_RELAYED.has(lower))
            lines.push(`${name}: ${req.rawHeaders[i + 1] ?? ""}`);
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
