// Load through autocannon, in the harness process (the servers under test each have their own process).
import autocannon from "autocannon";
import { CHAT_BODY_TEXT, type Endpoint } from "./http";

export type LoadResult = {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  status_codes: Record<string, number>;
  seconds: number;
};

export type LoadOptions = {
  connections: number;
  /** Seconds; the run also stops early once `amount` requests are done. */
  duration: number;
  amount?: number;
  /** Requests per second over all connections (a fixed-rate run), instead of as fast as possible. */
  overallRate?: number;
  /**
   * autocannon "corrects" rate-limited latencies with an expected interval of ceil(1 / rate-per-connection)
   * = 1 ms, which adds a synthetic sample per millisecond of every slow answer; we keep the raw latencies.
   */
  ignoreCoordinatedOmission?: boolean;
};

/** One autocannon run of the chat body against `endpoint`; always bounded by `duration` seconds. */
export function runLoad(endpoint: Endpoint, options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: endpoint.url,
        method: "POST",
        headers: { ...endpoint.headers, "content-type": "application/json" },
        body: CHAT_BODY_TEXT,
        connections: options.connections,
        duration: options.duration,
        amount: options.amount,
        overallRate: options.overallRate,
        ignoreCoordinatedOmission: options.ignoreCoordinatedOmission,
        // Seconds; a request hanging longer than this is counted as a timeout (an error), not waited for.
        timeout: 10,
      },
      (error: unknown, result: autocannon.Result) => {
        clearTimeout(guard);
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve(summarize(result));
      },
    );
    // autocannon ignores `duration` when `amount` is set: this timer is what bounds such a run in time.
    const guard = setTimeout(() => instance.stop(), (options.duration + (options.amount ? 0 : 5)) * 1000);
  });
}

function summarize(result: autocannon.Result): LoadResult {
  const codes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) codes[code] = stat.count ?? 0;
  return {
    rps: result.requests.average,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    status_codes: codes,
    seconds: result.duration,
  };
}

/** "ok", or what went wrong in words: never hidden, always printed beside the figures. */
export function describeErrors(result: Pick<LoadResult, "errors" | "timeouts" | "non2xx" | "status_codes">): string {
  if (result.errors === 0 && result.non2xx === 0) return "ok";
  const parts: string[] = [];
  if (result.errors > 0)
    parts.push(`${result.errors} errors${result.timeouts > 0 ? ` (${result.timeouts} timeouts)` : ""}`);
  if (result.non2xx > 0) {
    const codes = Object.entries(result.status_codes).filter(([code]) => !code.startsWith("2"));
    parts.push(`${result.non2xx} non-2xx (${codes.map(([code, n]) => `${code}×${n}`).join(", ")})`);
  }
  return `ERRORS: ${parts.join(", ")}`;
}
