// Over HTTP, against the production server: a session that has only passed the password can do nothing but
// enter its code (a page redirects, a route handler and the management API answer 401, a server action is
// refused and changes nothing); the code then rotates the session id. An unknown e-mail and a wrong password
// get byte-identical answers, and a spoofed X-Forwarded-For is not what the sign-in record says.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { beginTotpEnrolment, confirmTotpEnrolment } from "@/lib/auth/two-factor";
import { db } from "@/lib/db/client";
import { findFreePort } from "@/lib/db/embedded-location";
import { makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { startApp, type AppProcess } from "@/lib/testing/app-process";
import { authCallback } from "@/lib/testing/http-session";
import { seedUser, TEST_PASSWORD, uniqueEmail } from "@/lib/testing/seed";

const ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.ENCRYPTION_KEY = ENCRYPTION_KEY;
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

let app: AppProcess;
let dataDir = "";
beforeAll(async () => {
  dataDir = await makeEmbeddedTempDir("keyward-pending-");
  process.env.DATA_DIR = dataDir;
  const port = await findFreePort();
  app = await startApp(
    {
      ...process.env,
      ENCRYPTION_KEY,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      APP_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: "warn",
    },
    port,
  );
}, 120_000);
afterAll(async () => {
  await app?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const manifestSchema = z.object({
  node: z.record(z.string(), z.object({ filename: z.string().optional(), exportedName: z.string().optional() })),
});

function actionId(filename: string, exportedName: string): string {
  const file = path.join(process.cwd(), ".next", "server", "server-reference-manifest.json");
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const id = Object.entries(manifest.node).find(
    ([, a]) => a.filename === filename && a.exportedName === exportedName,
  )?.[0];
  if (!id) throw new Error(`the build has no server action ${exportedName} in ${filename}`);
  return id;
}

/** A server action called as React's client calls it (fields "_1_<name>", root part "0" last). */
async function callAction(pagePath: string, id: string, fields: Record<string, string>, cookie: string) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(`_1_${key}`, value);
  form.append("0", JSON.stringify([null, "$K1"]));
  const response = await fetch(`${app.url}${pagePath}`, {
    method: "POST",
    redirect: "manual",
    headers: { "next-action": id, accept: "text/x-component", origin: app.url, cookie },
    body: form,
  });
  return { status: response.status, body: await response.text() };
}

async function withTwoFactor(label: string) {
  const seeded = await seedUser(label);
  const { secret } = await beginTotpEnrolment(seeded.user.id, TEST_PASSWORD);
  const previous = Math.floor(Date.now() / 1000) - 30;
  await confirmTotpEnrolment(seeded.user.id, await generate({ secret, epoch: previous }), {
    ip: null,
    userAgent: "test",
  });
  return { ...seeded, secret };
}

describe("a session owing its second factor", () => {
  it("gets a redirect from a page, 401 from route handlers and the management API, a refusal from an action", async () => {
    const { user, team, secret } = await withTwoFactor("pending-http");
    const password = await authCallback(app.url, "credentials", { email: user.email, password: TEST_PASSWORD });
    expect(password.status).toBe(200);
    const pending = password.cookie ?? "";
    expect(pending).toMatch(/session-token=/);

    const page = await fetch(`${app.url}/t/${team.slug}`, { headers: { cookie: pending }, redirect: "manual" });
    expect([303, 307, 308]).toContain(page.status);
    expect(page.headers.get("location")).toContain("/sign-in/verify");

    const members = await fetch(`${app.url}/api/teams/${team.slug}/members`, { headers: { cookie: pending } });
    expect(members.status).toBe(401);
    const addKey = await fetch(`${app.url}/api/teams/${team.slug}/upstream-keys`, {
      method: "POST",
      headers: { cookie: pending, origin: app.url, "content-type": "application/json" },
      body: JSON.stringify({ name: "sneaky", key: `sk-proj-${"a".repeat(40)}` }),
    });
    expect(addKey.status).toBe(401);

    const rename = await callAction(
      `/t/${team.slug}/settings`,
      actionId("lib/actions/rename-team.ts", "renameTeamAction"),
      { teamSlug: team.slug, name: "Renamed while half signed in" },
      pending,
    );
    expect(rename.body).toContain("Sign in to continue.");
    expect((await db().team.findUniqueOrThrow({ where: { id: team.id } })).name).toBe(team.name);
    expect(await db().upstreamKey.count({ where: { teamId: team.id } })).toBe(0);

    // The code completes the sign-in with a new session id; the pending cookie is worth nothing afterwards.
    const second = await authCallback(
      app.url,
      "second-factor",
      { code: await generate({ secret }) },
      { cookie: pending },
    );
    expect(second.status).toBe(200);
    const full = second.cookie ?? "";
    expect(full).not.toBe(pending);
    expect((await fetch(`${app.url}/api/teams/${team.slug}/members`, { headers: { cookie: full } })).status).toBe(200);
    expect((await fetch(`${app.url}/api/teams/${team.slug}/members`, { headers: { cookie: pending } })).status).toBe(
      401,
    );
  });
});

describe("sign-in answers", () => {
  it("are identical for an unknown e-mail and a wrong password", async () => {
    const { user } = await seedUser("same-answer");
    const unknown = await authCallback(app.url, "credentials", { email: uniqueEmail("nobody"), password: "not-it-1" });
    const wrong = await authCallback(app.url, "credentials", { email: user.email, password: "not-it-1" });
    expect(wrong.status).toBe(unknown.status);
    expect(wrong.body).toBe(unknown.body);
    expect(wrong.cookie).toBeNull();
    expect(unknown.cookie).toBeNull();
  });

  it("record the socket's address, not a spoofed X-Forwarded-For (no trusted proxy configured)", async () => {
    const { user } = await seedUser("spoofed-ip");
    await authCallback(
      app.url,
      "credentials",
      { email: user.email, password: TEST_PASSWORD },
      { headers: { "x-forwarded-for": "6.6.6.6", "x-keyward-client-ip": "7.7.7.7" } },
    );
    const events = await db().signInEvent.findMany({ where: { userId: user.id, kind: "success" } });
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event.ip).not.toBe("6.6.6.6");
      expect(event.ip).not.toBe("7.7.7.7");
      expect(event.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    }
  });
});
