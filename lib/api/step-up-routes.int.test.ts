// Step-up on the management API for a browser session (issue 14 item 5), through the real server: the same
// dangerous changes as in the dashboard answer 403 reauthentication_required when no password or code was
// entered in the last 10 minutes, and change nothing; read-only keys, reads and management keys are not asked.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { findFreePort } from "@/lib/db/embedded-location";
import { makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { startApp, type AppProcess } from "@/lib/testing/app-process";
import { signInOverHttp } from "@/lib/testing/http-session";
import { seedUser, TEST_PASSWORD, type SeededUser } from "@/lib/testing/seed";

let app: AppProcess;
let dataDir = "";
let owner: SeededUser;
let cookie = "";

beforeAll(async () => {
  dataDir = await makeEmbeddedTempDir("keyward-step-up-");
  const port = await findFreePort();
  app = await startApp(
    {
      ...process.env,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      AUTH_SECRET: randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      APP_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: "warn",
    },
    port,
  );
  owner = await seedUser("step-up-api");
  cookie = (await signInOverHttp(app.url, owner.user.email, TEST_PASSWORD)) ?? "";
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The password or code was last entered 11 minutes ago. */
const expireStepUp = () =>
  db().userSession.updateMany({
    where: { userId: owner.user.id },
    data: { reauthenticatedAt: new Date(Date.now() - 11 * 60 * 1000) },
  });

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${app.url}/api/teams/${owner.team.slug}${path}`, {
    method,
    headers: { cookie, origin: app.url, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const code = text ? (JSON.parse(text) as { error?: { code?: string } }).error?.code : undefined;
  return { status: response.status, code };
}

const STEP_UP = { status: 403, code: "reauthentication_required" };

describe("step-up on the management API, for a browser session", () => {
  it("asks before a key wider than read-only, an upstream key or a widening edit, and changes nothing", async () => {
    await expireStepUp();
    const keysBefore = await db().apiKey.count({ where: { teamId: owner.team.id } });
    expect(await call("POST", "/keys", { name: "Writer", scopes: { endpoints: { chat: "write" } } })).toEqual(STEP_UP);
    expect(await call("POST", "/upstream-keys", { name: "Prod", key: `sk-proj-${"x".repeat(40)}` })).toEqual(STEP_UP);
    expect(await db().apiKey.count({ where: { teamId: owner.team.id } })).toBe(keysBefore);
    expect(await db().upstreamKey.count({ where: { teamId: owner.team.id } })).toBe(0);

    // Read-only keys and reads are not dangerous.
    const reader = await call("POST", "/keys", { name: "Reader", scopes: { endpoints: { models: "read" } } });
    expect(reader.status).toBe(201);
    expect((await call("GET", "/keys")).status).toBe(200);
    const [key] = await db().apiKey.findMany({ where: { teamId: owner.team.id, name: "Reader" } });
    // Renaming it is not either; widening it is.
    expect((await call("PATCH", `/keys/${key?.id}`, { name: "Reader 2" })).status).toBe(200);
    expect(await call("PATCH", `/keys/${key?.id}`, { scopes: { endpoints: { chat: "write" } } })).toEqual(STEP_UP);
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: key?.id } })).scopes).toEqual({
      endpoints: { models: "read" },
    });
  });

  it("lets the same requests through within 10 minutes of the password", async () => {
    await db().userSession.updateMany({ where: { userId: owner.user.id }, data: { reauthenticatedAt: new Date() } });
    expect((await call("POST", "/keys", { name: "Writer", scopes: { endpoints: { chat: "write" } } })).status).toBe(
      201,
    );
  });
});
