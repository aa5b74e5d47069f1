// The edge's relay to the web process, against a real node:http "web process": the edge's stamp wins over
// what a client sends, hop-by-hop headers stay on their hop, bodies stream both ways, a client that leaves
// is noticed upstream, a dead web process is a friendly 502, an answer cut short cuts the client's, and only
// Next's dev-reload WebSocket is spliced through (and cut at shutdown); every other upgrade is refused.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
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
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
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
        headers: { connection: "Upgrade", upgrade: "websocket", "x-keyward-edge": "forged" },
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
