// The choice of Chromium (browser.ts) on platforms and in states this machine is not in. Run by Playwright
// with the e2e specs: Vitest leaves e2e/ alone, and Playwright takes every *.test.ts in it.
import { expect, test } from "@playwright/test";
import { resolveChromium, type BrowserHost } from "./browser";

const PLAYWRIGHT = "/home/me/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome";

function host(overrides: Partial<BrowserHost> & { installed?: string[] } = {}) {
  const installed = new Set(overrides.installed ?? []);
  const calls = { packaged: 0, install: 0, log: [] as string[] };
  const fake: BrowserHost = {
    env: {},
    platform: "linux",
    arch: "x64",
    async packagedChromium() {
      calls.packaged++;
      return "/tmp/chromium";
    },
    playwrightChromium: () => PLAYWRIGHT,
    exists: (path) => installed.has(path),
    installPlaywrightChromium() {
      calls.install++;
      installed.add(PLAYWRIGHT);
      return 0;
    },
    log: (line) => calls.log.push(line),
    ...overrides,
  };
  return { fake, calls };
}

test("KEYWARD_CHROMIUM_PATH wins over everything", async () => {
  const { fake, calls } = host({ env: { KEYWARD_CHROMIUM_PATH: "/usr/bin/chromium" } });
  expect(await resolveChromium(fake)).toEqual({ executablePath: "/usr/bin/chromium", source: "KEYWARD_CHROMIUM_PATH" });
  expect(calls).toEqual({ packaged: 0, install: 0, log: [] });
});

test("Linux x64 uses the packaged Chromium", async () => {
  const { fake, calls } = host();
  expect(await resolveChromium(fake)).toEqual({ executablePath: "/tmp/chromium", source: "@sparticuz/chromium" });
  expect(calls.install).toBe(0);
});

test("another platform uses Playwright's Chromium without touching the packaged one", async () => {
  for (const [platform, arch] of [
    ["darwin", "arm64"],
    ["darwin", "x64"],
    ["linux", "arm64"],
    ["win32", "x64"],
  ] as const) {
    const { fake, calls } = host({ platform, arch, installed: [PLAYWRIGHT] });
    expect(await resolveChromium(fake)).toEqual({ executablePath: PLAYWRIGHT, source: "playwright" });
    expect(calls).toEqual({ packaged: 0, install: 0, log: [] });
  }
});

test("a missing or broken packaged Chromium falls back to Playwright's, installed on first use", async () => {
  const { fake, calls } = host({
    packagedChromium: () => Promise.reject(new Error("Cannot find package '@sparticuz/chromium'")),
  });
  expect(await resolveChromium(fake)).toEqual({ executablePath: PLAYWRIGHT, source: "playwright" });
  expect(calls.install).toBe(1);
  expect(calls.log).toEqual([
    "[e2e] @sparticuz/chromium is not usable: Cannot find package '@sparticuz/chromium'. " +
      "Installing Playwright's Chromium (npx playwright install chromium)…",
  ]);
});

test("a failed install says why and what to do", async () => {
  const { fake } = host({ platform: "darwin", arch: "arm64", installPlaywrightChromium: () => 1 });
  const error = await resolveChromium(fake).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toBe(
    [
      "No Chromium for the end-to-end tests.",
      "- @sparticuz/chromium is built for Linux x64 only, not darwin-arm64.",
      `- Playwright's Chromium is not at ${PLAYWRIGHT}, and \`npx playwright install chromium\` failed ` +
        "(exit code 1; its output is above).",
      "Run `npx playwright install chromium` when the network allows it, or set KEYWARD_CHROMIUM_PATH to a " +
        "Chromium or Chrome executable (e.g. /usr/bin/chromium from `apt-get install chromium`).",
    ].join("\n"),
  );
});
