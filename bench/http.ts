// Small node:http clients for what autocannon does not measure: probes, time to the first SSE chunk, and
// many streams held open at once. Every request has a timeout.
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

export const CHAT_BODY = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Say hello" }] };
export const CHAT_BODY_TEXT = JSON.stringify(CHAT_BODY);
export const STREAM_BODY_TEXT = JSON.stringify({ ...CHAT_BODY, stream: true });

/** Where to send a chat completion, with the headers that path needs (auth, provider routing). */
export type Endpoint = { url: string; headers: Record<string, string> };

export type Answer = { status: number; contentType: string; text: string };

export function post(endpoint: Endpoint, body: string, timeoutMs: number, agent?: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      endpoint.url,
      {
        method: "POST",
        agent,
        headers: { ...endpoint.headers, "content-type": "application/json" },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers["content-type"] ?? ""),
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** Null when the endpoint answers a chat completion (JSON, then SSE); otherwise why not, in a few words. */
export async function chatProblem(endpoint: Endpoint): Promise<string | null> {
  try {
    const json = await post(endpoint, CHAT_BODY_TEXT, 15_000);
    if (json.status !== 200 || !json.text.includes('"choices"'))
      return `POST ${new URL(endpoint.url).pathname} answered ${json.status}: ${json.text.slice(0, 160)}`;
    const sse = await post(endpoint, STREAM_BODY_TEXT, 15_000);
    if (sse.status !== 200 || !sse.text.startsWith("data:"))
      return `streaming POST ${new URL(endpoint.url).pathname} answered ${sse.status}: ${sse.text.slice(0, 160)}`;
    return null;
  } catch (error) {
    return `POST ${endpoint.url} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export type FirstChunk = { ms: number } | { error: string };

/** Milliseconds from sending a streaming request to its first body chunk; the rest is read and discarded. */
export function timeToFirstChunk(endpoint: Endpoint, agent: http.Agent, timeoutMs: number): Promise<FirstChunk> {
  return new Promise((resolve) => {
    const started = performance.now();
    let first: number | null = null;
    const req = http.request(
      endpoint.url,
      {
        method: "POST",
        agent,
        headers: { ...endpoint.headers, "content-type": "application/json" },
        timeout: timeoutMs,
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          res.on("end", () => resolve({ error: `HTTP ${res.statusCode}` }));
          return;
        }
        res.on("data", () => void (first ??= performance.now() - started));
        res.on("end", () => resolve(first === null ? { error: "empty stream" } : { ms: first }));
        res.on("error", () => resolve({ error: "stream broke" }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (error) => resolve({ error: error.message }));
    req.end(STREAM_BODY_TEXT);
  });
}

/** `open()` and `failures` are live: read them when sampling, after waiting. */
export type OpenStreams = { requested: number; open(): number; failures: Record<string, number>; close(): void };

/**
 * Opens `count` streaming requests and keeps them open. A stream counts as open once its 200 headers and a
 * first chunk have arrived. Opened in waves so the listen backlog is not the thing being measured.
 */
export async function openStreams(endpoint: Endpoint, count: number, timeoutMs: number): Promise<OpenStreams> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const requests: http.ClientRequest[] = [];
  const failures: Record<string, number> = {};
  const fail = (why: string) => void (failures[why] = (failures[why] ?? 0) + 1);
  let open = 0;
  const deadline = Date.now() + timeoutMs;
  const WAVE = 100;
  for (let start = 0; start < count && Date.now() < deadline; start += WAVE) {
    const wave: Promise<void>[] = [];
    for (let i = start; i < Math.min(count, start + WAVE); i++) {
      wave.push(
        new Promise<void>((resolve) => {
          const req = http.request(
            endpoint.url,
            { method: "POST", agent, headers: { ...endpoint.headers, "content-type": "application/json" } },
            (res) => {
              if (res.statusCode !== 200) {
                fail(`HTTP ${res.statusCode}`);
                res.resume();
                return resolve();
              }
              let counted = false;
              res.once("data", () => {
                counted = true;
                open += 1;
                resolve();
              });
              // A stream that ends before RSS is sampled is not open any more: the upstream was not slow enough.
              res.on("end", () => {
                if (counted) open -= 1;
                fail(counted ? "ended before sampling" : "ended without a chunk");
                resolve();
              });
              // Destroying the requests at the end makes each response emit "aborted" errors: expected.
              res.on("error", () => resolve());
            },
          );
          req.on("error", (error) => {
            fail(error.message.slice(0, 60));
            resolve();
          });
          requests.push(req);
          req.end(STREAM_BODY_TEXT);
        }),
      );
    }
    // Unref'd: a timer left behind by the race must not keep the harness alive after the run.
    await Promise.race([Promise.all(wave), sleep(Math.max(0, deadline - Date.now()), undefined, { ref: false })]);
  }
  const pending = count - open - Object.values(failures).reduce((a, b) => a + b, 0);
  if (pending > 0) failures["not open in time"] = pending;
  return {
    requested: count,
    open: () => open,
    failures,
    close: () => {
      for (const req of requests) req.destroy();
      agent.destroy();
    },
  };
}
