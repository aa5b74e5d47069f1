// The edge's relay to the web process, against a real node:http "web process": the edge's stamp wins over
// what a client sends, hop-by-hop headers stay on their hop, bodies stream both ways, a client that leaves
// is noticed upstream, a dead web process is a friendly 502, an answer cut short cuts the client's, and only
// Next's dev-reload WebSocket is spliced through (and cut at shutdown); every other upgrade is refused.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { API_BODY_LIMIT_BYTES, bodyLimitFor, PAGE_BODY_LIMIT_BYTES, PROXY_BODY_LIMIT_BYTES } from "./body-limits";
import { webForwarder, type WebForwarder } from "./web-forward";

const STAMP = { "x-keyward-client-ip": "198.51.100.7", "x-keyward-edge": "edge-token-0123456789abcdef" };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function listen(server: http.Server): Promise<number> {
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

/** A web process answering with `handler`, and an edge relaying everything to it. */
async function pair(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  devUpgrades = true,
): Promise<{ edgeUrl: string; web: http.Server; forwarder: WebForwarder }> {
  const web = http.createServer(handler);
  const forwarder = webForwarder(await listen(web), { devUpgrades });
  closers.push(async () => forwarder.close());
  const edge = http.createServer((req, res) => forwarder.forward(req, res, STAMP));
  edge.on("upgrade", (req, socket, head) => forwarder.upgrade(req, socket, head, STAMP));
  return { edgeUrl: `http://127.0.0.1:${await listen(edge)}`, web, forwarder };
}

describe("webForwarder", () => {
  it("stamps the client's address over any copy the client sent, and keeps hop-by-hop headers on their hop", async () => {
    let seen: http.IncomingHttpHeaders = {};
    const { edgeUrl } = await pair((req, res) => {
      seen = req.headers;
      res.setHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"]);
      res.writeHead(201, { "content-type": "text/plain", "x-app": "yes", "keep-alive": "timeout=99" }).end("made");
    });
    const response = await fetch(`${edgeUrl}/teams?x=1`, {
      headers: { "x-keyward-client-ip": "10.0.0.1", "x-keyward-edge": "forged", "x-custom": "kept", te: "trailers" },
    });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe("made");
    expect(response.headers.get("x-app")).toBe("yes");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(response.headers.get("keep-alive")).not.toBe("timeout=99");
    expect(seen["x-keyward-client-ip"]).toBe("198.51.100.7");
    expect(seen["x-keyward-edge"]).toBe(STAMP["x-keyward-edge"]);
    expect(seen["x-custom"]).toBe("kept");
    expect(seen.te).toBeUndefined();
  });

  it("never relays the client's forwarded headers: only what the edge stamps reaches the web process", async () => {
    let seen: http.IncomingHttpHeaders = {};
    const { edgeUrl } = await pair((req, res) => {
      seen = req.headers;
      res.end("ok");
    });
    const forged = {
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      "x-forwarded-for": "10.9.9.9",
      "x-forwarded-port": "443",
      forwarded: "for=10.9.9.9;host=evil.example;proto=https",
    };
    expect((await fetch(`${edgeUrl}/teams`, { method: "POST", headers: forged, body: "x" })).status).toBe(200);
    for (const name of Object.keys(forged)) expect(seen[name], name).toBeUndefined();
    expect(seen["x-keyward-client-ip"]).toBe(STAMP["x-keyward-client-ip"]);
  });

  it("streams request bodies up and response bodies down, chunk by chunk", async () => {
    // The web process writes its second part only once the client has read the first: an edge that buffered
    // the answer would never deliver the first part, and the test would time out.
    let firstRead!: () => void;
    const clientHasFirst = new Promise<void>((resolve) => (firstRead = resolve));
    const { edgeUrl } = await pair((req, res) => {
      let size = 0;
      req.on("data", (chunk: Buffer) => (size += chunk.length));
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write(`got ${size}\n`);
        void clientHasFirst.then(() => res.end("later\n"));
      });
    });
    const body = Buffer.alloc(PAGE_BODY_LIMIT_BYTES, 7); // the largest a page may send: 16 chunks and more
    const response = await fetch(`${edgeUrl}/upload`, { method: "POST", body });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe(`got ${body.length}\n`);
    firstRead();
    let rest = "";
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += decoder.decode(part.value);
    expect(rest).toBe("later\n");
  });

  it("never reuses a connection on which the web process answered before reading the whole body", async () => {
    // As Next does with a server action it refuses: it reads a little, stops, and answers on a kept-alive
    // connection, leaving the rest unread. A request sent behind that rest would wait for the keep-alive
    // timeout (65 s, as in the web process) and then fail.
    const sockets: { url: string; socket: net.Socket }[] = [];
    const { edgeUrl, web } = await pair((req, res) => {
      sockets.push({ url: req.url ?? "", socket: req.socket });
      if (req.url !== "/action") return void res.end("page");
      req.once("data", () => {
        req.pause();
        res.writeHead(500, { "content-type": "text/plain" }).end("refused");
      });
    });
    web.keepAliveTimeout = 65_000;
    // Small and large: a few hundred KB sit whole in the kernel's buffers before the answer, read or not.
    for (const size of [1024, 256 * 1024, PAGE_BODY_LIMIT_BYTES]) {
      const refused = await fetch(`${edgeUrl}/action`, { method: "POST", body: Buffer.alloc(size, 97) });
      expect(refused.status).toBe(500);
      await refused.text();
      // Another client, on a new connection of its own; the edge must not send it down the stuck one.
      const page = await fetch(`${edgeUrl}/sign-in`);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe("page");
      const action = sockets.findLast((seen) => seen.url === "/action")?.socket;
      expect(sockets.at(-1)?.socket).not.toBe(action);
    }
  });

  it("keeps reusing connections for requests without a body", async () => {
    const sockets = new Set<net.Socket>();
    const { edgeUrl } = await pair((req, res) => {
      sockets.add(req.socket);
      res.end("page");
    });
    for (let i = 0; i < 3; i++) expect(await (await fetch(`${edgeUrl}/sign-in`)).text()).toBe("page");
    expect(sockets.size).toBe(1);
  });

  it("answers a client still uploading when the web process answers early, and closes that connection", async () => {
    const { edgeUrl } = await pair((req, res) => {
      if (req.url === "/sign-in") return void res.end("page");
      req.once("data", () => {
        req.pause();
        res.writeHead(413, { "content-type": "text/plain" }).end("too much");
      });
    });
    // One socket at most, kept alive: the second request goes on the first one's connection if it is kept.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    closers.push(async () => agent.destroy());
    const send = (path: string, body?: Buffer) =>
      new Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders; socket: net.Socket }>(
        (resolve, reject) => {
          const request = http.request(`${edgeUrl}${path}`, { method: body ? "POST" : "GET", agent }, (response) => {
            let text = "";
            response.on("data", (chunk: Buffer) => (text += chunk.toString()));
            response.once("end", () =>
              resolve({ status: response.statusCode ?? 0, text, headers: response.headers, socket: request.socket! }),
            );
          });
          request.on("error", reject);
          request.end(body);
        },
      );
    // Under the proxy paths' limit, and far more than the kernels buffer: the client is still sending.
    const refused = await send("/v1/audio/transcriptions", Buffer.alloc(24 * 1024 * 1024, 1));
    expect(refused.status).toBe(413);
    expect(refused.text).toBe("too much");
    expect(refused.headers.connection).toBe("close");
    const next = await send("/sign-in");
    expect(next).toMatchObject({ status: 200, text: "page" });
    expect(next.socket).not.toBe(refused.socket);
  });

  it("refuses a declared body over the path's limit with 413, before the web process sees the request", async () => {
    let reachedWeb = 0;
    const { edgeUrl } = await pair((_req, res) => {
      reachedWeb++;
      res.end("read");
    });
    const page = await fetch(`${edgeUrl}/sign-up`, {
      method: "POST",
      headers: { "next-action": "abc" },
      body: Buffer.alloc(PAGE_BODY_LIMIT_BYTES + 1, 97),
    });
    expect(page.status).toBe(413);
    expect(await page.text()).toContain("too large");
    const api = await fetch(`${edgeUrl}/api/teams/acme/keys`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.alloc(API_BODY_LIMIT_BYTES + 1, 32),
    });
    expect(api.status).toBe(413);
    expect(await api.json()).toEqual({ error: { code: "payload_too_large", message: expect.any(String) } });
    expect(reachedWeb).toBe(0);
  });

  it("cuts a chunked body once it passes the limit: 413, and the web process never gets it whole", async () => {
    let webRequest: IncomingMessage | null = null;
    let webGotAll = false;
    const { edgeUrl } = await pair((req) => {
      webRequest = req;
      req.resume();
      req.once("end", () => (webGotAll = true));
    });
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${edgeUrl}/api/teams/acme/keys`, { method: "POST", agent: false }, (answer) => {
        let body = "";
        answer.on("data", (chunk: Buffer) => (body += chunk.toString()));
        answer.once("end", () => resolve({ status: answer.statusCode ?? 0, body }));
      });
      request.on("error", reject);
      // No Content-Length: Node sends it chunked, 64 KB a chunk, well past the limit.
      const chunk = Buffer.alloc(64 * 1024, 32);
      for (let sent = 0; sent <= API_BODY_LIMIT_BYTES; sent += chunk.length) request.write(chunk);
      request.end();
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: "payload_too_large" } });
    await expect.poll(() => webRequest?.destroyed).toBe(true);
    expect(webGotAll).toBe(false);
  });

  it("picks the limit by the path as Next resolves it", () => {
    expect(bodyLimitFor("/sign-up").bytes).toBe(PAGE_BODY_LIMIT_BYTES);
    expect(bodyLimitFor("/api/teams/acme/keys?x=1").bytes).toBe(API_BODY_LIMIT_BYTES);
    expect(bodyLimitFor("/api/v1/chat/completions").bytes).toBe(PROXY_BODY_LIMIT_BYTES);
    expect(bodyLimitFor("/v1/audio/transcriptions").bytes).toBe(PROXY_BODY_LIMIT_BYTES);
    // A detour through the proxy's path does not lend the management API the proxy's larger limit.
    expect(bodyLimitFor("/v1/../api/teams/acme/keys").kind).toBe("api");
    expect(bodyLimitFor("/v1/%2e%2e/sign-up").kind).toBe("page");
  });

  it("tells the web process when the client goes away", async () => {
    let closed: () => void = () => undefined;
    const webSawClose = new Promise<void>((resolve) => (closed = resolve));
    const { edgeUrl } = await pair((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: 1\n\n");
      res.once("close", closed);
    });
    const controller = new AbortController();
    const response = await fetch(`${edgeUrl}/stream`, { signal: controller.signal });
    await response.body!.getReader().read();
    controller.abort();
    await webSawClose;
  });

  it("answers a friendly 502 when the web process is not there, without internals", async () => {
    const { edgeUrl, web } = await pair((_req, res) => res.end("never"));
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    const response = await fetch(`${edgeUrl}/`);
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).toContain("not answering");
    expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at /);
  });

  it("splices WebSocket upgrades through, with the stamp", async () => {
    const { edgeUrl, web } = await pair((_req, res) => res.end());
    let upgradeHeaders: http.IncomingHttpHeaders = {};
    web.on("upgrade", (req, socket) => {
      upgradeHeaders = req.headers;
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
      socket.on("data", (chunk: Buffer) => socket.write(`echo:${chunk.toString()}`));
      socket.on("end", () => socket.end()); // upgraded sockets are half-open by default: close with the edge
    });
    const socket = await new Promise<import("node:stream").Duplex>((resolve, reject) => {
      const request = http.request(`${edgeUrl}/_next/hmr`, {
        headers: {
          connection: "Upgrade",
          upgrade: "websocket",
          "x-keyward-edge": "forged",
          "X-Forwarded-Host": "evil",
        },
      });
      request.on("upgrade", (_res, upgraded) => resolve(upgraded));
      request.on("error", reject);
      request.end();
    });
    closers.push(async () => void socket.destroy());
    const echoed = new Promise<string>((resolve) => socket.once("data", (chunk: Buffer) => resolve(chunk.toString())));
    socket.write("ping");
    expect(await echoed).toBe("echo:ping");
    expect(upgradeHeaders["x-keyward-edge"]).toBe(STAMP["x-keyward-edge"]);
    expect(upgradeHeaders["x-keyward-client-ip"]).toBe(STAMP["x-keyward-client-ip"]);
    expect(upgradeHeaders["x-forwarded-host"]).toBeUndefined();
  });

  it("cuts the client's answer when the web process's answer is cut short, instead of leaving it hanging", async () => {
    const { edgeUrl } = await pair((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain", "content-length": "1000" });
      res.write("partial");
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const response = await fetch(`${edgeUrl}/page`);
    await expect(response.text()).rejects.toThrow();
  });

  it("refuses upgrades other than Next's dev reload, and all of them outside dev", async () => {
    const upgradeStatus = async (edgeUrl: string, path: string) =>
      new Promise<number>((resolve, reject) => {
        const request = http.request(`${edgeUrl}${path}`, { headers: { connection: "Upgrade", upgrade: "websocket" } });
        request.on("upgrade", () => resolve(101));
        request.on("response", (response) => resolve(response.statusCode ?? 0));
        request.on("error", reject);
        request.end();
      });
    let reachedWeb = 0;
    const onUpgrade = (_req: IncomingMessage, socket: import("node:stream").Duplex) => {
      reachedWeb++;
      socket.destroy();
    };
    const dev = await pair((_req, res) => res.end(), true);
    dev.web.on("upgrade", onUpgrade);
    expect(await upgradeStatus(dev.edgeUrl, "/v1/chat/completions")).toBe(400);
    expect(await upgradeStatus(dev.edgeUrl, "/teams")).toBe(400);
    const production = await pair((_req, res) => res.end(), false);
    production.web.on("upgrade", onUpgrade);
    expect(await upgradeStatus(production.edgeUrl, "/_next/webpack-hmr")).toBe(400);
    expect(reachedWeb).toBe(0);
  });

  it("cuts spliced upgrades on closeUpgrades(), so they cannot hold a shutdown open", async () => {
    const { edgeUrl, web, forwarder } = await pair((_req, res) => res.end());
    web.on("upgrade", (_req, socket) => {
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
      socket.on("end", () => socket.end());
    });
    const socket = await new Promise<import("node:stream").Duplex>((resolve, reject) => {
      const request = http.request(`${edgeUrl}/_next/webpack-hmr`, {
        headers: { connection: "Upgrade", upgrade: "websocket" },
      });
      request.on("upgrade", (_res, upgraded) => resolve(upgraded));
      request.on("error", reject);
      request.end();
    });
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    forwarder.closeUpgrades();
    await closed;
  });
});
