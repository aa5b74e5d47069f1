// Lingering close against raw TCP clients, which show what a refused uploader really sees: the whole answer
// arrives before any reset, a client that sends its whole body before reading still reads the answer, and
// the connection is closed at the bounds (bytes, time) rather than held open by a client that keeps sending.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { lingerAfterResponse, type LingerOptions } from "./linger";

const ANSWER_BODY = "The request body is too large.\n";
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A server that refuses every request with 413 at once, without reading its body. */
async function refusingServer(linger: LingerOptions | null): Promise<number> {
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    if (linger) lingerAfterResponse(req, res, linger);
    else res.shouldKeepAlive = false; // what a refusal did before: Node closes right after the answer
    res.writeHead(413, { "content-type": "text/plain", "content-length": String(ANSWER_BODY.length) });
    res.end(ANSWER_BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

type Outcome = {
  /** Everything the client read, and whether the whole answer had arrived before any error. */
  received: string;
  answeredBeforeError: boolean;
  error: string | null;
  /** Body bytes the client got into its socket before the connection ended. */
  sent: number;
};

const head = (length: number) =>
  `POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n\r\n`;
const wholeAnswer = (received: string) => received.startsWith("HTTP/1.1 413") && received.endsWith(ANSWER_BODY);

/**
 * A raw client that declares `declared` bytes and writes its body in 64 KB chunks as fast as the socket
 * takes them, reading all along, until `stopAfter` bytes are written (then it goes quiet, connection open)
 * or the connection ends. `readAfterSending`: like Python's http.client, it reads nothing before its body
 * is written whole.
 */
function upload(
  port: number,
  options: { declared: number; stopAfter?: number; readAfterSending?: boolean },
): Promise<Outcome> {
  return new Promise((resolve) => {
    // Half-open, as HTTP clients are: the server's FIN after its answer does not stop the upload.
    const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    const chunk = Buffer.alloc(64 * 1024, 120);
    const stopAfter = options.stopAfter ?? options.declared;
    const outcome: Outcome = { received: "", answeredBeforeError: false, error: null, sent: 0 };
    if (options.readAfterSending) socket.pause();
    let answered = false;
    socket.on("data", (data: Buffer) => (outcome.received += data.toString("latin1")));
    // The server's FIN: like an HTTP client, it ends its side once it has nothing more to send.
    socket.once("end", () => {
      answered = true;
      if (outcome.sent >= stopAfter) socket.end();
    });
    socket.on("error", (error) => {
      outcome.answeredBeforeError = wholeAnswer(outcome.received);
      outcome.error ??= error.message;
    });
    socket.once("close", () => {
      if (!outcome.error) outcome.answeredBeforeError = wholeAnswer(outcome.received);
      resolve(outcome);
    });
    const pump = () => {
      while (outcome.sent < stopAfter && !socket.destroyed) {
        const part = chunk.subarray(0, Math.min(chunk.length, stopAfter - outcome.sent));
        outcome.sent += part.length;
        if (!socket.write(part)) return void socket.once("drain", pump);
      }
      if (outcome.sent < stopAfter) return;
      if (options.readAfterSending) socket.resume();
      if (answered) socket.end();
    };
    socket.once("connect", () => {
      socket.write(head(options.declared));
      pump();
    });
  });
}

describe("lingerAfterResponse", () => {
  it("lets a client that keeps sending read the whole answer, and closes once maxBytes were dropped", async () => {
    const port = await refusingServer({ maxBytes: 4 * 1024 * 1024, maxMs: 60_000 });
    const outcome = await upload(port, { declared: 1024 * 1024 * 1024 });
    expect(outcome.answeredBeforeError).toBe(true);
    expect(outcome.received.toLowerCase()).toContain("connection: close");
    // Closed at the bound, long before the declared gigabyte: what the kernels buffer on both ends, at most.
    expect(outcome.sent).toBeGreaterThan(4 * 1024 * 1024);
    expect(outcome.sent).toBeLessThan(256 * 1024 * 1024);
  });

  it("lets a client that sends its whole body before reading still read the answer", async () => {
    const port = await refusingServer({ maxBytes: 64 * 1024 * 1024, maxMs: 60_000 });
    const outcome = await upload(port, { declared: 24 * 1024 * 1024, readAfterSending: true });
    expect(outcome.error).toBeNull();
    expect(outcome.answeredBeforeError).toBe(true);
    expect(outcome.sent).toBe(24 * 1024 * 1024);
  });

  it("closes a connection whose client goes quiet mid-body once maxMs passed, after the answer", async () => {
    const port = await refusingServer({ maxBytes: 64 * 1024 * 1024, maxMs: 300 });
    // Without the time bound the server would wait for the rest of the declared body for ever.
    const outcome = await upload(port, { declared: 10 * 1024 * 1024, stopAfter: 256 * 1024 });
    expect(outcome.answeredBeforeError).toBe(true);
  });

  it("without it, the same refusal turns into a reset the sending-first client never gets past", async () => {
    // The case this module exists for, shown on Node's own close: keeps the test honest about the failure.
    const port = await refusingServer(null);
    const outcome = await upload(port, { declared: 24 * 1024 * 1024, readAfterSending: true });
    expect(outcome.error).toMatch(/EPIPE|ECONNRESET/);
    expect(outcome.sent).toBeLessThan(24 * 1024 * 1024);
  });

  it("keeps the connection when the declared body is small, and drops the body", async () => {
    const port = await refusingServer({ maxBytes: 1024, maxMs: 60_000 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    closers.push(async () => agent.destroy());
    const post = () =>
      new Promise<{ status: number; socket: net.Socket }>((resolve, reject) => {
        const request = http.request({ port, host: "127.0.0.1", method: "POST", path: "/", agent }, (response) => {
          response.resume();
          response.once("end", () => resolve({ status: response.statusCode ?? 0, socket: request.socket! }));
        });
        request.on("error", reject);
        request.end("x".repeat(32 * 1024));
      });
    const first = await post();
    const second = await post();
    expect([first.status, second.status]).toEqual([413, 413]);
    expect(second.socket).toBe(first.socket);
  });
});
