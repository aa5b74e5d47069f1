// The edge in front of the real web process (Next.js): a server action Next refuses half-read cannot leave
// the edge's connection to it stuck, so the next client's page answers at once instead of a 502 a minute
// later; an over-large server action and management API body are refused by the edge before Next reads them.
// And cross-site forgery is refused: a server action or a cookie-authenticated API call must carry the app's
// own Origin (a forged X-Forwarded-Host does not help), while a bearer management key needs none.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "@/lib/db/embedded-location";
import { makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { db } from "@/lib/db/client";
import { createManagementKey } from "@/lib/keys/management";
import { startApp, type AppProcess } from "@/lib/testing/app-process";
import { signInOverHttp } from "@/lib/testing/http-session";
import { callSignUpAction, signUpActionId } from "@/lib/testing/sign-up-action";
import { contextIn, seedUser, TEST_PASSWORD, uniqueEmail } from "@/lib/testing/seed";
import { API_BODY_LIMIT_BYTES, PAGE_BODY_LIMIT_BYTES } from "./body-limits";

// A stuck connection answered 502 after the web process's keep-alive timeout (65 s); a healthy one answers
// in well under a second. 20 s tells the two apart on the busiest machine.
const ANSWERS_AT_ONCE_MS = 20_000;

let app: AppProcess;
let dataDir = "";
beforeAll(async () => {
  dataDir = await makeEmbeddedTempDir("keyward-web-forward-");
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
}, 120_000);
afterAll(async () => {
  await app?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Answer = { status: number; body: string };

/** One request on a connection of its own (no pooling), as a separate client would make it. */
function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer; send?: Buffer },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers, agent: false, timeout: ANSWERS_AT_ONCE_MS },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.once("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.once("timeout", () => outgoing.destroy(new Error(`no answer within ${ANSWERS_AT_ONCE_MS} ms`)));
    outgoing.on("error", reject);
    // `send`: only this part of the declared body is sent, and the request is left open.
    if (options.send) outgoing.write(options.send);
    else outgoing.end(options.body);
  });
}

/** A server action call as React sends it: a multipart body whose parts `parts` writes with the boundary. */
function serverAction(parts: (boundary: string) => Buffer): { headers: Record<string, string>; body: Buffer } {
  const boundary = `----keyward${randomBytes(8).toString("hex")}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\n`),
    parts(boundary),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return {
    headers: {
      "next-action": signUpActionId(),
      accept: "text/x-component",
      "content-type": `multipart/form-data; boundary=${boundary}`,
      "content-length": String(body.length),
    },
    body,
  };
}

describe("the edge in front of Next", () => {
  it("refuses a 2 MB server action with 413, and the next client's page answers at once", async () => {
    const { headers, body } = serverAction(() =>
      Buffer.concat([
        Buffer.from('Content-Disposition: form-data; name="1_name"\r\n\r\n'),
        Buffer.alloc(2 * 1024 * 1024, 97),
      ]),
    );
    expect(body.length).toBeGreaterThan(PAGE_BODY_LIMIT_BYTES);
    const action = await request(`${app.url}/sign-up`, { method: "POST", headers, body });
    expect(action.status).toBe(413);
    const page = await request(`${app.url}/sign-in`, {});
    expect(page.status).toBe(200);
    expect(page.body).toContain("Sign in");
  });

  it("survives a server action Next stops reading half-way: the next client's page answers at once", async () => {
    // Under the edge's limit, so Next gets it: a part header that never ends makes Next's multipart parser
    // fail after reading a little, and Next answers 500 with most of the body unread.
    const { headers, body } = serverAction((boundary) =>
      Buffer.concat([
        Buffer.from(`Content-Disposition: form-data; name="1_a"\r\n\r\nx\r\n--${boundary}\r\nX-Pad: `),
        Buffer.alloc(900 * 1024, 97),
        Buffer.from("\r\n\r\nv"),
      ]),
    );
    expect(body.length).toBeLessThan(PAGE_BODY_LIMIT_BYTES);
    for (let i = 0; i < 3; i++) {
      const action = await request(`${app.url}/sign-up`, { method: "POST", headers, body });
      expect(action.status).toBeGreaterThanOrEqual(400);
      const page = await request(`${app.url}/sign-in`, {});
      expect(page.status).toBe(200);
    }
  });

  it("refuses an 11 MB management API body with 413 before the web process reads it", async () => {
    // Only the first 64 KB are sent: the answer can only come from the edge, on the declared length.
    const declared = 11 * 1024 * 1024;
    expect(declared).toBeGreaterThan(API_BODY_LIMIT_BYTES);
    const answer = await request(`${app.url}/api/teams/anyone/keys`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(declared) },
      send: Buffer.alloc(64 * 1024, 32),
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "payload_too_large" } });
    // And the whole 11 MB, sent as a client would: refused the same way, and the app still answers.
    const whole = await request(`${app.url}/api/teams/anyone/keys`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.alloc(declared, 32),
    });
    expect(whole.status).toBe(413);
    expect((await request(`${app.url}/api/health`, {})).status).toBe(200);
  });
});

const signUpCall = (email: string, headers: Record<string, string>) =>
  callSignUpAction(
    app.url,
    { name: "Mallory", email, password: "granite velvet orchard 71", teamName: "Forged" },
    headers,
  );

const userExists = async (email: string) => (await db().user.count({ where: { email } })) > 0;
const upstreamKeyCount = (teamId: string) => db().upstreamKey.count({ where: { teamId } });

describe("the Origin check on state-changing requests", () => {
  it("refuses a server action from a foreign Origin with a forged X-Forwarded-Host, and runs nothing", async () => {
    const email = uniqueEmail("forged-host");
    const refused = await signUpCall(email, { origin: "http://evil.example", "x-forwarded-host": "evil.example" });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("did not come from Keyward");
    expect(await userExists(email)).toBe(false);
  });

  it("refuses a server action without an Origin, and runs nothing", async () => {
    const email = uniqueEmail("no-origin");
    const refused = await signUpCall(email, {});
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("did not come from Keyward");
    expect(await userExists(email)).toBe(false);
  });

  it("runs the same server action from the app's own Origin", async () => {
    const email = uniqueEmail("same-origin");
    const ran = await signUpCall(email, { origin: app.url });
    expect(ran.status).toBe(200);
    expect(await userExists(email), ran.body).toBe(true);
  });

  it("refuses a cookie-authenticated text/plain POST from a foreign Origin with 403, and adds no key", async () => {
    const owner = await seedUser("csrf-owner");
    const cookie = await signInOverHttp(app.url, owner.user.email, TEST_PASSWORD);
    expect(cookie).toBeTruthy();
    const body = JSON.stringify({ name: "Planted", key: `sk-proj-${"a".repeat(40)}`, skipCheck: true });
    const url = `${app.url}/api/teams/${owner.team.slug}/upstream-keys`;
    for (const origin of ["http://evil.example", undefined]) {
      const refused = await request(url, {
        method: "POST",
        headers: { cookie: cookie ?? "", "content-type": "text/plain", ...(origin ? { origin } : {}) },
        body: Buffer.from(body),
      });
      expect(refused.status, `Origin ${origin}`).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "forbidden" } });
    }
    expect(await upstreamKeyCount(owner.team.id)).toBe(0);
    // The same call from the dashboard's own origin goes through: the check refuses forgery, not the API.
    const own = await request(url, {
      method: "POST",
      headers: { cookie: cookie ?? "", "content-type": "application/json", origin: app.url },
      body: Buffer.from(body),
    });
    expect(own.status).toBe(201);
    expect(await upstreamKeyCount(owner.team.id)).toBe(1);
  });

  it("refuses a next-auth sign-in POST and a plain form post to a page without the app's Origin", async () => {
    const owner = await seedUser("auth-post");
    const csrf = await fetch(`${app.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const jar = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const form = new URLSearchParams({ csrfToken, email: owner.user.email, password: TEST_PASSWORD, json: "true" });
    for (const origin of ["http://evil.example", undefined]) {
      const signIn = await request(`${app.url}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar, ...(origin ? { origin } : {}) },
        body: Buffer.from(form.toString()),
      });
      expect(signIn.status, `Origin ${origin}`).toBe(403);
      expect(JSON.parse(signIn.body)).toMatchObject({ error: { code: "forbidden" } });
      const page = await request(`${app.url}/t/${owner.team.slug}/settings`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...(origin ? { origin } : {}) },
        body: Buffer.from("name=x"),
      });
      expect(page.status, `Origin ${origin}`).toBe(403);
    }
    // With the app's own Origin the same sign-in works (signInOverHttp sends it).
    expect(await signInOverHttp(app.url, owner.user.email, TEST_PASSWORD)).toBeTruthy();
  });

  it("keeps a bearer management key working with no Origin (the CLI, SDKs, curl)", async () => {
    const owner = await seedUser("bearer-owner");
    const mgmt = await createManagementKey(await contextIn(owner, owner.team, "management_keys.write"), {
      name: "ci bot",
      scopes: ["api_keys.manage"],
    });
    const created = await request(`${app.url}/api/teams/${owner.team.slug}/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${mgmt.key}`, "content-type": "application/json" },
      body: Buffer.from(JSON.stringify({ name: "From CI", scopes: { endpoints: { chat: "write" } } })),
    });
    expect(created.status).toBe(201);
    expect(await db().apiKey.count({ where: { teamId: owner.team.id, name: "From CI" } })).toBe(1);
  });
});
