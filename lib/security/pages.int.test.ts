// Every page of the built app, signed in, through the real server: a Content-Security-Policy whose nonce is
// new on every response and is on every script the page has (no script without it); HSTS and Secure cookies
// exactly when APP_URL is https. The page list is checked against the build's own list of pages, so a new
// page without a test here fails this file.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { findFreePort } from "@/lib/db/embedded-location";
import { makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { STRICT_TRANSPORT_SECURITY } from "@/lib/security/headers";
import { startApp, type AppProcess } from "@/lib/testing/app-process";
import { signInOverHttp } from "@/lib/testing/http-session";
import { seedUser, TEST_PASSWORD } from "@/lib/testing/seed";

const apps: { app: AppProcess; dataDir: string }[] = [];

async function start(appUrl: (port: number) => string): Promise<AppProcess> {
  const dataDir = await makeEmbeddedTempDir("keyward-pages-");
  const port = await findFreePort();
  const app = await startApp(
    {
      ...process.env,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      AUTH_SECRET: randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      APP_URL: appUrl(port),
      LOG_LEVEL: "warn",
    },
    port,
  );
  apps.push({ app, dataDir });
  return app;
}

afterAll(async () => {
  for (const { app, dataDir } of apps) {
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

/** The build's pages as route patterns ("/t/[teamSlug]/keys"), without Next's own error pages. */
function builtPages(): string[] {
  const file = path.join(process.cwd(), ".next", "server", "app-paths-manifest.json");
  const manifest = z.record(z.string(), z.string()).parse(JSON.parse(readFileSync(file, "utf8")));
  return Object.keys(manifest)
    .filter((route) => route.endsWith("/page") && !/^\/_(global-error|not-found)\//.test(route))
    .map((route) => route.replace(/\/page$/, "").replace(/\/\([^)]+\)/g, "") || "/")
    .sort();
}

type Page = { status: number; headers: Headers; html: string };

async function load(url: string, cookie?: string): Promise<Page> {
  const response = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

function nonceOf(policy: string | null): string | undefined {
  return /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? "")?.[1];
}

describe("with an http APP_URL", () => {
  let app: AppProcess;
  let cookie = "";
  // A session that has passed the password only (2FA on): the one /sign-in/verify shows its form to.
  let pendingCookie = "";
  let routes: Record<string, string> = {};
  beforeAll(async () => {
    app = await start((port) => `http://127.0.0.1:${port}`);
    const owner = await seedUser("pages-owner");
    cookie = (await signInOverHttp(app.url, owner.user.email, TEST_PASSWORD)) ?? "";
    const twoFactor = await seedUser("pages-2fa");
    // Only "2FA is on" matters to the page; the secret itself is never read here.
    await db().user.update({ where: { id: twoFactor.user.id }, data: { totpEnabledAt: new Date() } });
    pendingCookie = (await signInOverHttp(app.url, twoFactor.user.email, TEST_PASSWORD)) ?? "";
    const created = await fetch(`${app.url}/api/teams/${owner.team.slug}/keys`, {
      method: "POST",
      headers: { cookie, origin: app.url, "content-type": "application/json" },
      body: JSON.stringify({ name: "Pages", scopes: { endpoints: { chat: "write" } } }),
    });
    const { data } = z.object({ data: z.object({ id: z.string() }) }).parse(await created.json());
    const team = `/t/${owner.team.slug}`;
    const membership = await db().membership.findFirstOrThrow({
      where: { teamId: owner.team.id, userId: owner.user.id },
      select: { id: true },
    });
    routes = {
      "/": "/",
      "/sign-in": "/sign-in",
      "/sign-up": "/sign-up",
      "/invite": "/invite",
      "/account": "/account",
      "/account/security": "/account/security",
      "/sign-in/verify": "/sign-in/verify",
      "/unlock": "/unlock",
      "/teams/new": "/teams/new",
      "/t/[teamSlug]": team,
      "/t/[teamSlug]/audit": `${team}/audit`,
      "/t/[teamSlug]/keys": `${team}/keys`,
      "/t/[teamSlug]/keys/new": `${team}/keys/new`,
      "/t/[teamSlug]/keys/settings": `${team}/keys/settings`,
      "/t/[teamSlug]/keys/[keyId]": `${team}/keys/${data.id}`,
      "/t/[teamSlug]/members": `${team}/members`,
      "/t/[teamSlug]/members/[membershipId]/sign-ins": `${team}/members/${membership.id}/sign-ins`,
      "/t/[teamSlug]/settings": `${team}/settings`,
      "/t/[teamSlug]/upstream-keys": `${team}/upstream-keys`,
      "/dashboard": "/dashboard", // a redirect to the first team, checked below
    };
  }, 120_000);

  it("tests every page the build has", () => {
    expect(Object.keys(routes).sort()).toEqual(builtPages());
  });

  it("gives every page a nonce CSP, with the nonce on each of its scripts and nothing inline without it", async () => {
    for (const [route, url] of Object.entries(routes)) {
      // Signed in for the dashboard, signed out for the sign-in pages (which send a signed-in user away).
      const signedOut = ["/sign-in", "/sign-up", "/invite", "/unlock", "/"].includes(route);
      const page = await load(
        `${app.url}${url}`,
        route === "/sign-in/verify" ? pendingCookie : signedOut ? undefined : cookie,
      );
      const policy = page.headers.get("content-security-policy");
      const nonce = nonceOf(policy);
      expect(nonce, `${route}: ${policy}`).toBeTruthy();
      expect(policy, route).toContain("'strict-dynamic'");
      expect(policy, route).toMatch(/object-src 'none'.*base-uri 'self'.*form-action 'self'.*frame-ancestors 'none'/);
      expect(policy, route).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(page.headers.get("strict-transport-security"), route).toBeNull();
      if (route === "/dashboard") {
        expect(page.status, route).toBe(307);
        continue;
      }
      expect(page.status, route).toBe(200);
      const scripts = [...page.html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, route).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, route).toContain(`nonce="${nonce}"`);
    }
  });

  it("makes a new nonce for every response, also for a page that cannot be found", async () => {
    const nonces = new Set<string | undefined>();
    for (let i = 0; i < 3; i++)
      nonces.add(nonceOf((await load(`${app.url}/sign-in`)).headers.get("content-security-policy")));
    expect(nonces.size).toBe(3);
    const missing = await load(`${app.url}/no-such-page`);
    expect(missing.status).toBe(404);
    expect(nonceOf(missing.headers.get("content-security-policy"))).toBeTruthy();
  });

  it("sets next-auth's cookies HttpOnly and SameSite=Lax, without Secure (the browser would drop them)", async () => {
    const csrf = (await fetch(`${app.url}/api/auth/csrf`)).headers.getSetCookie();
    const token = csrf.find((c) => c.startsWith("next-auth.csrf-token="));
    expect(token).toMatch(/; HttpOnly/i);
    expect(token).toMatch(/; SameSite=Lax/i);
    expect(token).not.toMatch(/; Secure/i);
  });
});

describe("with an https APP_URL", () => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await start(() => "https://keys.example.test");
  }, 120_000);

  it("sends HSTS for two years with subdomains", async () => {
    for (const url of ["/", "/sign-in", "/api/health"]) {
      const page = await load(`${app.url}${url}`);
      expect(page.headers.get("strict-transport-security"), url).toBe(STRICT_TRANSPORT_SECURITY);
    }
  });

  it("sets next-auth's cookies Secure, with the __Host- prefix for the CSRF token", async () => {
    const csrf = (await fetch(`${app.url}/api/auth/csrf`)).headers.getSetCookie();
    const token = csrf.find((c) => c.startsWith("__Host-next-auth.csrf-token="));
    expect(token, csrf.join("\n")).toMatch(/; Secure/i);
    expect(token).toMatch(/; HttpOnly/i);
    expect(token).toMatch(/; SameSite=Lax/i);
    const callback = csrf.find((c) => c.startsWith("__Secure-next-auth.callback-url="));
    expect(callback, csrf.join("\n")).toMatch(/; Secure/i);
  });
});
