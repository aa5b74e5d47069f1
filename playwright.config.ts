// End-to-end tests in a real Chromium: KEYWARD_CHROMIUM_PATH when set, else the one shipped inside
// @sparticuz/chromium (Linux x64, no download needed), else Playwright's own (see e2e/support/browser.ts).
import { defineConfig } from "@playwright/test";
import { resolveChromium } from "./e2e/support/browser";

const { executablePath } = await resolveChromium();
// Our own flags, not @sparticuz/chromium's Lambda set: that one has --single-process (closing a context
// kills the browser) and --disable-web-security (which would void every browser-side security check).
// The quiet ones stop Chromium calling Google services, which a closed network refuses by the hundred.
const args = [
  "--no-sandbox", // we run as root in containers
  "--disable-dev-shm-usage",
  "--disable-gpu",
  "--use-gl=angle",
  "--use-angle=swiftshader",
  "--font-render-hinting=none",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: process.env.KEYWARD_E2E_BASE_URL,
    launchOptions: { executablePath, args },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
});
