// The pages under their Content-Security-Policy (proxy.ts) in a real Chromium: no violation on any page,
// client components hydrate (the sign-in form signs in through next-auth's client, a server-action form
// creates a team), and the policy really is enforced: an injected inline handler does not run.
import type { Page } from "@playwright/test";
import { expect, test, uniqueEmail } from "./fixtures";

type Violation = { directive: string; blocked: string; source: string };

/** Records every CSP violation the page reports, from before its first script, and every console error. */
async function watchCsp(page: Page): Promise<{ violations: () => Promise<Violation[]>; consoleErrors: string[] }> {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: { directive: string; blocked: string; source: string }[] = [];
    (window as unknown as { cspViolations: typeof seen }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) =>
      seen.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: `${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`,
      }),
    );
  });
  return {
    consoleErrors,
    violations: () => page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations),
  };
}

test("every page works under the CSP: no violation, the forms hydrate and submit", async ({ page, seed }) => {
  const csp = await watchCsp(page);
  const user = await seed.user({ teamName: "Strict Policy" });
  const all: Violation[] = [];

  for (const path of ["/", "/sign-up", "/invite", "/unlock"]) {
    const response = await page.goto(path);
    expect(response?.headers()["content-security-policy"], path).toContain("'strict-dynamic'");
    all.push(...(await csp.violations()));
  }

  // Hydrated or not: without React, this form would submit itself as a GET with the password in the URL.
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Strict Policy" })).toBeVisible();
  expect(page.url()).not.toContain("password");
  all.push(...(await csp.violations()));

  const team = `/t/${user.team.slug}`;
  for (const path of [
    "/account",
    "/account/security",
    team,
    `${team}/audit`,
    `${team}/keys`,
    `${team}/keys/new`,
    `${team}/keys/settings`,
    `${team}/members`,
    `${team}/settings`,
    `${team}/upstream-keys`,
  ]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    all.push(...(await csp.violations()));
  }

  // A server action through React's client: the browser sends our Origin, the proxy lets it through.
  await page.goto("/teams/new");
  const name = `Nonce ${uniqueEmail("t").slice(2, 10)}`;
  await page.getByLabel("Team name").fill(name);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  all.push(...(await csp.violations()));
  const { db } = await import("../lib/db/client");
  await db().team.deleteMany({ where: { name } });

  expect(all).toEqual([]);
  expect(csp.consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
});

test("the policy is enforced: an inline handler the page did not render with a nonce does not run", async ({
  page,
}) => {
  const csp = await watchCsp(page);
  await page.goto("/sign-in");
  // As markup an attacker might get into a page: an inline event handler (no nonce can cover one).
  await page.evaluate(() =>
    document.body.insertAdjacentHTML("beforeend", '<img alt="" src="data:," onerror="window.handlerRan = true">'),
  );
  await expect.poll(async () => (await csp.violations()).map((v) => v.directive)).toContain("script-src-attr");
  expect(await page.evaluate(() => (window as unknown as { handlerRan?: boolean }).handlerRan ?? false)).toBe(false);
});
