// Lingering close, as nginx's `lingering_close`: a refusal (413, 401, …) sent while the client is still
// uploading must reach the client. Node's http server closes the socket right after an answer marked
// `Connection: close`; with the client's unread bytes still in the kernel's receive queue, that close becomes
// a TCP reset, and the client's next write fails with EPIPE/ECONNRESET, often before it has read the answer
// (clients that send the whole body before reading, such as Python's http.client, never see it). So the
// answer is sent, the sending side is shut (FIN: the answer is complete), and the rest of the body is read
// and dropped for a bounded time and size before the socket is destroyed.
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * At most this long after the answer the body is read and dropped. nginx's `lingering_timeout` is 5 s too:
 * long enough for a client on a slow link to get through what it had in flight, short enough that a client
 * that never stops sending holds a socket only briefly.
 */
export const LINGER_MAX_MS = 5_000;

/**
 * At most this much of the body is read and dropped. Twice the largest body Keyward accepts (the proxy's
 * 32 MB, for audio uploads): a client that sends its whole body before reading can finish sending an
 * honest mistake (a file somewhat over the limit) and read why it was refused. Dropping costs no memory,
 * and no more reading than accepting a body of that size would.
 */
export const LINGER_MAX_BYTES = 64 * 1024 * 1024;

/**
 * A declared body up to this size is read and dropped after the answer on a connection that is kept: cheaper
 * than a new connection, and bounded by the declaration (Node's parser reads no further than it).
 */
export const KEEP_ALIVE_BODY_BYTES = 64 * 1024;

export type LingerOptions = { maxBytes?: number; maxMs?: number };

/**
 * Call when refusing a request whose body may still be coming, before writing the answer; then write the
 * answer as usual (`res.writeHead(413, …).end(…)`). From this call on the body is read and dropped (stop
 * your own reading first: `req.off("data", …)`, `req.unpipe()`). The answer goes out with
 * `Connection: close`; once it is written, the sending side is shut, and the connection is closed when the
 * body has ended, or `maxBytes` of it were dropped, or `maxMs` passed since the answer. A body that has
 * arrived whole, or none, changes nothing; a small declared one (`KEEP_ALIVE_BODY_BYTES`) is dropped and
 * the connection kept.
 */
export function lingerAfterResponse(req: IncomingMessage, res: ServerResponse, options: LingerOptions = {}): void {
  if (req.complete) return;
  const chunked = req.headers["transfer-encoding"] !== undefined;
  const declared = Number(req.headers["content-length"] ?? 0);
  // Read at once rather than left to Node: Node drops an unread body itself only if nobody ever read from it
  // (a reader that stopped half-way leaves the rest in front of the connection's next request, which then
  // waits for ever), and when it does, it reads all of it, however large.
  if (!chunked && declared <= KEEP_ALIVE_BODY_BYTES) return void req.resume();
  const maxBytes = options.maxBytes ?? LINGER_MAX_BYTES;
  const maxMs = options.maxMs ?? LINGER_MAX_MS;
  const socket = req.socket;
  let answered = false;
  let done = false; // the body ended, or passed maxBytes: close as soon as the answer is out
  const close = () => {
    done = true;
    if (!answered) return;
    // After the answer has reached the kernel: a close before that would drop it.
    if (socket.writableFinished) socket.destroy();
    else socket.once("finish", () => socket.destroy());
  };
  let dropped = 0;
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped <= maxBytes) return;
    req.pause();
    close();
  });
  // All of it read: nothing is left unread, so this close is a clean one (FIN, no reset).
  req.once("end", close);
  req.resume();
  const afterAnswer = () => {
    if (answered) return;
    answered = true;
    // Shut only our sending side: the client sees the answer end, and can go on sending.
    if (socket.writable) socket.end();
    // The hard bound: a client that reads nothing keeps the answer unflushed, and must not keep the socket.
    const timer = setTimeout(() => socket.destroy(), maxMs);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
    if (done) close();
  };
  if (!res.headersSent) res.shouldKeepAlive = false;
  // Node closes a `Connection: close` answer's socket through destroySoon() as soon as the answer is written
  // (the server's resOnFinish); on this one socket, that close becomes the lingering one.
  socket.destroySoon = afterAnswer;
  // Headers sent earlier as keep-alive: Node keeps the connection and never calls destroySoon().
  if (res.writableFinished) afterAnswer();
  else res.once("finish", afterAnswer);
}
