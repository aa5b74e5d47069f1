// End-to-end tests in a real Chromium: the one shipped inside @sparticuz/chromium (no download needed), or
// the browser at KEYWARD_CHROMIUM_PATH when set.
import chromium from "@sparticuz/chromium";
import { defineConfig } from "@playwright/test";

const executablePath = process.env.KEYWARD_CHROMIUM_PATH || (await chromium.executablePath());
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
