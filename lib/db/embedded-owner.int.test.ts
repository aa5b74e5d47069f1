// Which running embedded PostgreSQL a start may stop: only one whose recorded starter is gone. The real crash
// (kill -9 of the server) is in lib/server/killed-edge.int.test.ts; here the record is edited to stand for it.
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { withClient } from "./admin";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "./embedded";
import { findFreePort } from "./embedded-location";
import { makeEmbeddedTempDir } from "./scratch-server";

const handles: EmbeddedPostgresHandle[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const handle of handles.reverse()) await handle.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

it("attaches to a server its live starter runs, or one it cannot place; restarts one whose starter is gone", async () => {
  const dataDir = await makeEmbeddedTempDir("keyward-embedded-owner-");
  dirs.push(dataDir);
  const port = await findFreePort();
  const start = async () => {
    const handle = await startEmbeddedPostgres({ dataDir, port });
    handles.push(handle);
    return handle;
  };
  const ownerFile = path.join(dataDir, "postgres-owner.json");
  const postmasterPid = async () =>
    Number((await readFile(path.join(dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n")[0]);

  const first = await start();
  await withClient(first.url, (client) => client.query("CREATE TABLE note AS SELECT 'kept' AS body"));
  const original = await postmasterPid();
  expect(JSON.parse(await readFile(ownerFile, "utf8"))).toEqual({ ownerPid: process.pid, postmasterPid: original });

  // Its starter (this process, its parent) lives: attached to, and left running by the attacher's stop().
  const attached = await start();
  expect(attached.owned).toBe(false);
  await attached.stop();
  await withClient(first.url, (client) => client.query("SELECT 1"));

  // No record (a Keyward from before the record), or a record of another postmaster: attached to, as before.
  await rm(ownerFile);
  expect((await start()).owned).toBe(false);
  await writeFile(ownerFile, JSON.stringify({ ownerPid: process.ppid, postmasterPid: original + 1 }));
  expect((await start()).owned).toBe(false);
  expect(await postmasterPid()).toBe(original);

  // The record names this postmaster, but the recorded starter is not its parent: that starter is gone (here
  // its PID names a live process, as a recycled one would). Restarted, and owned by the new start.
  await writeFile(ownerFile, JSON.stringify({ ownerPid: process.ppid, postmasterPid: original }));
  const restarted = await start();
  expect(restarted.owned).toBe(true);
  const replacement = await postmasterPid();
  expect(replacement).not.toBe(original);
  expect(JSON.parse(await readFile(ownerFile, "utf8"))).toEqual({ ownerPid: process.pid, postmasterPid: replacement });
  await withClient(restarted.url, async (client) => {
    expect((await client.query("SELECT body FROM note")).rows).toEqual([{ body: "kept" }]);
  });
  await restarted.stop();
  await expect(withClient(restarted.url, (client) => client.query("SELECT 1"))).rejects.toThrow();
});
