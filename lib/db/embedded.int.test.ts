import { readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { withClient } from "./admin";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "./embedded";
import { makeEmbeddedTempDir } from "./scratch-server";
import { findFreePort } from "./embedded-location";

const handles: EmbeddedPostgresHandle[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const handle of handles) await handle.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function start(dataDir: string, port: number): Promise<EmbeddedPostgresHandle> {
  const handle = await startEmbeddedPostgres({ dataDir, port });
  handles.push(handle);
  return handle;
}

it("keeps data across restarts and lets a second starter reuse the running server", async () => {
  const dataDir = await makeEmbeddedTempDir("keyward-embedded-test-");
  dirs.push(dataDir);
  const port = await findFreePort();

  const first = await start(dataDir, port);
  expect(first.owned).toBe(true);
  expect(first.url).toMatch(new RegExp(`^postgresql://postgres:[0-9a-f]+@127\\.0\\.0\\.1:${port}/keyward$`));
  await withClient(first.url, async (client) => {
    await client.query("CREATE TABLE note (body text)");
    await client.query("INSERT INTO note VALUES ('survives restarts')");
    const listen = await client.query<{ listen_addresses: string }>("SHOW listen_addresses");
    expect(listen.rows[0]?.listen_addresses).toBe("127.0.0.1");
  });

  const credentials = path.join(dataDir, "postgres.json");
  expect((await stat(credentials)).mode & 0o777).toBe(0o600);
  expect(JSON.parse(await readFile(credentials, "utf8"))).toMatchObject({ port, user: "postgres" });

  // An operator's CLI command while the app server runs: same data directory, no second postmaster.
  const second = await start(dataDir, port);
  expect(second.owned).toBe(false);
  expect(second.url).toBe(first.url);
  await second.stop();
  await withClient(first.url, async (client) => {
    expect((await client.query("SELECT body FROM note")).rows).toEqual([{ body: "survives restarts" }]);
  });

  await first.stop();
  await first.stop(); // idempotent
  await expect(withClient(first.url, (client) => client.query("SELECT 1"))).rejects.toThrow();

  const again = await start(dataDir, port);
  expect(again.owned).toBe(true);
  await withClient(again.url, async (client) => {
    expect((await client.query("SELECT body FROM note")).rows).toEqual([{ body: "survives restarts" }]);
  });
  await again.stop();
});

it("starts after a crash left a stale postmaster.pid, even one whose PID now names another process", async () => {
  const dataDir = await makeEmbeddedTempDir("keyward-embedded-test-");
  dirs.push(dataDir);
  const port = await findFreePort();
  const pidFile = path.join(dataDir, "postgres", "postmaster.pid");

  const crashed = await start(dataDir, port);
  await withClient(crashed.url, (client) => client.query("CREATE TABLE note AS SELECT 'committed' AS body"));
  const postmaster = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  process.kill(postmaster, "SIGKILL");
  await waitUntil(() => !isAlive(postmaster));

  const recovered = await start(dataDir, port);
  expect(recovered.owned).toBe(true);
  await withClient(recovered.url, async (client) => {
    expect((await client.query("SELECT body FROM note")).rows).toEqual([{ body: "committed" }]);
  });
  await recovered.stop();

  // After a reboot the old PID may belong to anything, here this very test process.
  const lines = [
    String(process.pid),
    path.join(dataDir, "postgres"),
    "0",
    String(port),
    "",
    "127.0.0.1",
    "0 0",
    "ready",
    "",
  ];
  await writeFile(pidFile, lines.join("\n"));
  const afterReboot = await start(dataDir, port);
  expect(afterReboot.owned).toBe(true);
  await afterReboot.stop();
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Holds a TCP port on 127.0.0.1 the way another program would, until released. */
async function occupy(port?: number): Promise<{ port: number; release: () => Promise<void> }> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("no address");
  return { port: address.port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

it("moves to a free port, and remembers it, when its port is taken by another program", async () => {
  const dataDir = await makeEmbeddedTempDir("keyward-embedded-port-");
  dirs.push(dataDir);
  // A port of its own first (54329 may be another test's), then restarts that choose for themselves.
  const first = await startEmbeddedPostgres({ dataDir, port: await findFreePort() });
  const credentialsFile = path.join(dataDir, "postgres.json");
  const { port: original } = JSON.parse(await readFile(credentialsFile, "utf8")) as { port: number };
  await first.stop();

  const squatter = await occupy(original);
  try {
    const second = await startEmbeddedPostgres({ dataDir });
    handles.push(second);
    const { port: moved } = JSON.parse(await readFile(credentialsFile, "utf8")) as { port: number };
    expect(moved).not.toBe(original);
    expect(second.url).toContain(`:${moved}/`);
    await withClient(second.url, (client) => client.query("SELECT 1"));
    expect((await stat(credentialsFile)).mode & 0o777).toBe(0o600);
    await second.stop();
  } finally {
    await squatter.release();
  }
});

it("refuses an explicit EMBEDDED_PG_PORT that is taken, naming the port and the setting", async () => {
  const dataDir = await makeEmbeddedTempDir("keyward-embedded-explicit-");
  dirs.push(dataDir);
  const squatter = await occupy();
  try {
    await expect(startEmbeddedPostgres({ dataDir, port: squatter.port })).rejects.toThrow(
      `port ${squatter.port} (EMBEDDED_PG_PORT) on 127.0.0.1 is in use by another program. Hint: set ` +
        "EMBEDDED_PG_PORT to a free port, or unset it to let Keyward pick one.",
    );
  } finally {
    await squatter.release();
  }
});

it("gives PostgreSQL none of the app's environment: a superuser reading its environ finds no secret", async () => {
  const dataDir = await makeEmbeddedTempDir("keyward-embedded-env-");
  dirs.push(dataDir);
  const canary = `canary-${Date.now()}-secret`;
  process.env.KEYWARD_TEST_CANARY_SECRET = canary;
  try {
    const server = await start(dataDir, await findFreePort());
    const environ = await withClient(server.adminUrl, async (client) => {
      // The postmaster's environment, as any superuser session can read it (a backend's own is clobbered by
      // its process title; the postmaster's is not).
      const result = await client.query<{ bytes: Buffer }>(
        "SELECT pg_read_binary_file('/proc/' || split_part(pg_read_file('postmaster.pid'), E'\\n', 1) || '/environ') AS bytes",
      );
      return result.rows[0]?.bytes.toString("utf8").split("\0") ?? [];
    });
    expect(environ.some((entry) => entry.startsWith("PATH="))).toBe(true);
    expect(environ.join("\n")).not.toContain(canary);
    expect(environ.filter((entry) => /^(AUTH_SECRET|ENCRYPTION_KEY|DATABASE_URL)=/.test(entry))).toEqual([]);
  } finally {
    delete process.env.KEYWARD_TEST_CANARY_SECRET;
  }
});
