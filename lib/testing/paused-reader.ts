// A streaming client that stops reading on demand, to test backpressure: node:http, so that pausing really
// stops reading the socket (fetch and the SDK buffer on their own).
import http from "node:http";

export type PausedReader = {
  /** Bytes of body received so far. */
  received(): number;
  /** Starts reading again; resolves with the whole body's size and its last bytes once it has ended. */
  finish(): Promise<{ bytes: number; tail: string }>;
  close(): void;
};

/**
 * POSTs `body` to `url` and reads until `readFirst` bytes of the answer arrived, then pauses. Rejects on a
 * status other than 200 or after `timeoutMs` without those first bytes.
 */
export function pausedReader(
  url: string,
  headers: Record<string, string>,
  body: string,
  readFirst: number,
  timeoutMs = 10_000,
): Promise<PausedReader> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`fewer than ${readFirst} bytes after ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", reject);
    req.on("response", (res) => {
      if (res.statusCode !== 200) {
        clearTimeout(timer);
        res.resume();
        return reject(new Error(`HTTP ${res.statusCode}`));
      }
      let bytes = 0;
      let tail = "";
      let paused = false;
      const ended = new Promise<{ bytes: number; tail: string }>((done, fail) => {
        res.on("end", () => done({ bytes, tail }));
        res.on("error", fail);
        res.on("aborted", () => fail(new Error("the stream was cut")));
      });
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        tail = (tail + chunk.toString("latin1")).slice(-1_000);
        if (bytes < readFirst || paused) return;
        paused = true;
        res.pause();
        clearTimeout(timer);
        resolve({
          received: () => bytes,
          finish: () => {
            res.resume();
            return ended;
          },
          close: () => req.destroy(),
        });
      });
    });
    req.end(body);
  });
}

/** Resolves once `read()` stayed the same for `quietMs` (or `maxMs` passed): how far something got. */
export async function settled(read: () => number, quietMs = 500, maxMs = 10_000): Promise<number> {
  const started = Date.now();
  let last = read();
  let since = Date.now();
  while (Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 50));
    const now = read();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) break;
  }
  return last;
}

export type EarlyAnswer = { status: number; body: string; connection: string | undefined; sentBytes: number };

/**
 * POSTs to `url` declaring `declaredBytes` of body (or chunked, when null) but sending only `sendBytes` of it,
 * then waits for an answer: a server that refuses on the headers answers at once, one that waits for the
 * whole body never does (rejects after `timeoutMs`).
 */
export function partialUpload(
  url: string,
  headers: Record<string, string>,
  declaredBytes: number | null,
  sendBytes: number,
  timeoutMs = 5_000,
): Promise<EarlyAnswer> {
  return new Promise((resolve, reject) => {
    const lengthHeader: Record<string, string> =
      declaredBytes === null ? {} : { "content-length": String(declaredBytes) };
    const req = http.request(url, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", ...lengthHeader, ...headers },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms after ${sendBytes} of ${declaredBytes ?? "chunked"} bytes`));
    }, timeoutMs);
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        clearTimeout(timer);
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          connection: res.headers.connection,
          sentBytes: sendBytes,
        });
      });
    });
    // Sent in 64 KB pieces: the server may answer (and stop reading) part-way.
    const piece = Buffer.alloc(64 * 1024, " ");
    let sent = 0;
    const more = () => {
      while (sent < sendBytes && !req.destroyed) {
        const n = Math.min(piece.length, sendBytes - sent);
        sent += n;
        if (!req.write(piece.subarray(0, n))) return void req.once("drain", more);
      }
    };
    req.flushHeaders();
    more();
  });
}
