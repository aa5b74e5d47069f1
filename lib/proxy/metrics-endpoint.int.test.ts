// Issue 13, item 8: without METRICS_TOKEN, /metrics answers on loopback only, on both entry points (the
// edge's fast path, and the web process with PROXY_FAST_PATH=off). The servers listen on every address
// (HOST=0.0.0.0) and are called from this machine's own non-loopback address, as a scraper elsewhere would.
import { randomBytes } from "node:crypto";
import { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { proxyHarness } = await import("./testing/proxy-harness");
const harness = proxyHarness({ chunkDelayMs: 0, logLevel: "warn", routeHandlers: true, host: "0.0.0.0" });

function externalAddress(): string {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === "IPv4" && !entry.internal);
  if (!found) throw new Error("this test needs a non-loopback IPv4 address on the machine");
  return found.address;
}

const serverUrl = (entry: "fast path" | "route handlers") =>
  entry === "fast path" ? harness.app.url : harness.handlers.url;

describe("/metrics without METRICS_TOKEN", () => {
  it.each(["fast path", "route handlers"] as const)(
    "%s: answers loopback, refuses other addresses",
    async (entry) => {
      const url = serverUrl(entry);
      const local = await fetch(`${url}/metrics`);
      expect(local.status).toBe(200);
      expect(await local.text()).toContain("keyward_");

      const port = new URL(url).port;
      const remote = await fetch(`http://${externalAddress()}:${port}/metrics`);
      expect(remote.status).toBe(403);
      expect(await remote.text()).toContain("METRICS_TOKEN");
      // The same server still answers that address: only /metrics is withheld.
      expect((await fetch(`http://${externalAddress()}:${port}/api/ready`)).status).toBe(200);

      // A request a reverse proxy on this machine relayed is not this machine's.
      const relayed = await fetch(`${url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
      expect(relayed.status).toBe(403);
    },
    30_000,
  );
});

describe("the key cache in /metrics", () => {
  const metric = (text: string, line: string) => {
    const found = text.split("\n").find((l) => l.startsWith(`${line} `));
    return found === undefined ? undefined : Number(found.slice(line.length + 1));
  };

  it.each(["fast path", "route handlers"] as const)(
    "%s: size, capacity, lookups and hit rate",
    async (entry) => {
      const url = serverUrl(entry);
      const before = await (await fetch(`${url}/metrics`)).text();
      const hitsBefore = metric(before, 'keyward_key_cache_lookups_total{result="hit"}') ?? 0;
      for (let i = 0; i < 4; i++) {
        const answer = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${harness.seeded.full}` } });
        expect(answer.status).toBe(200);
        await answer.arrayBuffer();
      }
      const after = await (await fetch(`${url}/metrics`)).text();
      expect(metric(after, "keyward_key_cache_keys")).toBeGreaterThanOrEqual(1);
      expect(metric(after, "keyward_key_cache_capacity")).toBe(50_000);
      // At most the first of the four loaded the key: the other three were answered from memory.
      expect(metric(after, 'keyward_key_cache_lookups_total{result="hit"}')).toBeGreaterThanOrEqual(hitsBefore + 3);
      expect(metric(after, 'keyward_key_cache_lookups_total{result="miss"}')).toBeGreaterThanOrEqual(0);
      expect(metric(after, "keyward_key_cache_hit_ratio")).toBeGreaterThan(0);
      expect(metric(after, "keyward_key_cache_evictions_total")).toBe(0);
    },
    30_000,
  );
});
