import { expect, test } from "./fixtures";
import { robotsAllows } from "./support/robots";

test("the landing page says what Keyward is and leads to sign-up", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("without handing anyone the real key");
  await page.screenshot({ path: "test-results/screenshots/landing.png", fullPage: true });
  const logo = page.getByRole("banner").getByRole("link", { name: "Keyward" });
  await expect(logo.locator("svg")).toBeVisible();
  expect(await logo.locator("svg").boundingBox()).toMatchObject({ width: 28, height: 28 });
  await page.getByRole("link", { name: "Create your team" }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
});

test("health and readiness endpoints answer", async ({ request }) => {
  expect((await request.get("/api/health")).status()).toBe(200);
  const ready = await request.get("/api/ready");
  expect(ready.status()).toBe(200);
  // With the master key's age: never key material, only its version, dates and whether rotation is due.
  expect(await ready.json()).toEqual({
    status: "ready",
    masterKey: {
      version: 1,
      since: expect.any(String),
      ageDays: 0,
      maxAgeDays: 365,
      rotationDue: false,
      docs: "README.md#rotating-the-master-key-without-downtime",
    },
  });
});

test("the header's logo is the favicon's drawing", async ({ page, request }) => {
  await page.goto("/");
  const icon = await (await request.get("/icon.svg")).text();
  const drawn = await page.getByRole("banner").getByRole("link", { name: "Keyward" }).locator("svg path").all();
  const paths = await Promise.all(drawn.map((path) => path.getAttribute("d")));
  expect(paths).toEqual([...icon.matchAll(/ d="([^"]+)"/g)].map((match) => match[1]));
});

test("the favicon, the SVG icon and the touch icon are served and linked from the page", async ({ page, request }) => {
  for (const [path, type] of [
    ["/favicon.ico", /^image\/(x-icon|vnd\.microsoft\.icon)/],
    ["/icon.svg", /^image\/svg\+xml/],
    ["/apple-touch-icon.png", /^image\/png/],
  ] as const) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()["content-type"], path).toMatch(type);
  }
  await page.goto("/sign-in");
  const links = page.locator('head link[rel="icon"], head link[rel="apple-touch-icon"]');
  expect(await links.evaluateAll((all) => all.map((link) => link.getAttribute("href")))).toEqual([
    "/favicon.ico",
    "/icon.svg",
    "/apple-touch-icon.png",
  ]);
});

test("robots.txt lets search engines index the landing page and nothing behind it", async ({ request }) => {
  const response = await request.get("/robots.txt");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^text\/plain/);
  const robots = await response.text();
  for (const path of ["/", "/favicon.ico", "/icon.svg", "/_next/static/chunks/app.css"])
    expect(robotsAllows(robots, path), path).toBe(true);
  for (const path of [
    "/?ref=x",
    "/sign-in",
    "/sign-up",
    "/invite?token=abc",
    "/dashboard",
    "/account",
    "/teams/new",
    "/t/acme/keys",
    "/api/health",
    "/api/openapi.json",
    "/v1/models",
  ])
    expect(robotsAllows(robots, path), path).toBe(false);
});
