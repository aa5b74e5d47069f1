// Which Chromium the end-to-end tests launch, in this order:
// 1. KEYWARD_CHROMIUM_PATH, when set (any Chromium or Chrome).
// 2. The one packed inside @sparticuz/chromium: it needs no download, so `npm ci && npm test` passes on a
//    machine that reaches nothing but the npm registry. It is a Linux x64 build only.
// 3. Playwright's own, installed on first use with `npx playwright install chromium`, as Playwright users
//    expect (macOS, Windows, arm64).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "@playwright/test";

export type Chromium = {
  executablePath: string;
  source: "KEYWARD_CHROMIUM_PATH" | "@sparticuz/chromium" | "playwright";
};

/** What the choice depends on; the tests replace it. */
export type BrowserHost = {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  arch: string;
  /** The packaged Chromium's path; throws when the package is missing or cannot unpack it. */
  packagedChromium(): Promise<string>;
  /** Where Playwright keeps its own Chromium, installed or not. */
  playwrightChromium(): string;
  exists(path: string): boolean;
  log(line: string): void;
  /** Runs `playwright install chromium` and answers its exit code. */
  installPlaywrightChromium(): number | null;
};

const INSTALL = "npx playwright install chromium";

export async function resolveChromium(host: BrowserHost = nodeHost): Promise<Chromium> {
  const override = host.env.KEYWARD_CHROMIUM_PATH;
  if (override) return { executablePath: override, source: "KEYWARD_CHROMIUM_PATH" };

  let packaged: string;
  // On any other platform the package still installs and even "unpacks" its Linux x64 binary without
  // complaint; only the launch would fail, with an exec format error. So the platform decides first.
  if (host.platform === "linux" && host.arch === "x64") {
    try {
      return { executablePath: await host.packagedChromium(), source: "@sparticuz/chromium" };
    } catch (error) {
      packaged = `@sparticuz/chromium is not usable: ${error instanceof Error ? error.message : String(error)}`;
    }
  } else {
    packaged = `@sparticuz/chromium is built for Linux x64 only, not ${host.platform}-${host.arch}`;
  }

  const executablePath = host.playwrightChromium();
  if (host.exists(executablePath)) return { executablePath, source: "playwright" };
  host.log(`[e2e] ${packaged}. Installing Playwright's Chromium (${INSTALL})…`);
  const status = host.installPlaywrightChromium();
  if (status === 0 && host.exists(executablePath)) return { executablePath, source: "playwright" };
  throw new Error(
    [
      "No Chromium for the end-to-end tests.",
      `- ${packaged}.`,
      `- Playwright's Chromium is not at ${executablePath}, and \`${INSTALL}\` failed ` +
        `(exit code ${status}; its output is above).`,
      `Run \`${INSTALL}\` when the network allows it, or set KEYWARD_CHROMIUM_PATH to a Chromium or Chrome ` +
        "executable (e.g. /usr/bin/chromium from `apt-get install chromium`).",
    ].join("\n"),
  );
}

const nodeHost: BrowserHost = {
  env: process.env,
  platform: process.platform,
  arch: process.arch,
  async packagedChromium() {
    const { default: packaged } = await import("@sparticuz/chromium");
    return packaged.executablePath();
  },
  playwrightChromium: () => chromium.executablePath(),
  exists: existsSync,
  log: (line) => process.stderr.write(`${line}\n`),
  installPlaywrightChromium() {
    // The CLI of the @playwright/test we run, the same one `npx playwright` finds.
    const cli = createRequire(import.meta.url).resolve("@playwright/test/cli");
    return spawnSync(process.execPath, [cli, "install", "chromium"], { stdio: "inherit" }).status;
  },
};
