// Accessibility checks with axe-core in the page: `expectAccessible(page)` for one state of one page, and
// `watchAccessibility` for every page a test shows (fixtures.ts runs it on every test automatically).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

const require = createRequire(import.meta.url);
// Evaluated over the DevTools protocol, not added as a <script>: the app's CSP (proxy.ts) refuses any inline
// script without its nonce, and so must it refuse the test's own.
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// Serious and critical only: what blocks or badly hinders someone using a screen reader or the keyboard.
const BLOCKING = new Set(["serious", "critical"]);

export type Finding = { url: string; rule: string; impact: string; help: string; nodes: string[] };

type AxeResult = {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[]; html: string }[] }[];
};

// axe runs once at a time in a page: every run on a page waits for the one before.
const queues = new WeakMap<Page, Promise<unknown>>();
function serially<T>(page: Page, run: () => Promise<T>): Promise<T> {
  const next = (queues.get(page) ?? Promise.resolve()).catch(() => undefined).then(run);
  queues.set(page, next);
  return next;
}

/** Runs axe on the page as it is now; returns its serious and critical violations. */
export function axeFindings(page: Page): Promise<Finding[]> {
  return serially(page, () => runAxe(page));
}

// Colours are measured in their resting state: transitions are switched off while axe runs (a button fading
// back from its disabled look, or changing state in the middle of a run, is not a contrast failure).
const NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }";

async function axeOnce(page: Page): Promise<AxeResult> {
  const injected = await page.evaluate(() => "axe" in window);
  if (!injected) {
    await page.evaluate(AXE_SOURCE);
    await page.addStyleTag({ content: NO_TRANSITIONS });
  }
  return page.evaluate(async () => {
    // Finite animations are let finish; endless ones such as a spinner are not waited for.
    const settling = document
      .getAnimations()
      .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity);
    await Promise.all(settling.map((animation) => animation.finished.catch(() => undefined)));
    const axe = (window as unknown as { axe: { run(options: object): Promise<unknown> } }).axe;
    return (await axe.run({ resultTypes: ["violations"] })) as AxeResult;
  });
}

const nodeKey = (rule: string, node: { target: unknown[] }) => `${rule} ${node.target.map(String).join(" ")}`;

async function runAxe(page: Page): Promise<Finding[]> {
  let result = await axeOnce(page);
  // A colour measured while React was re-rendering the element (a submit button re-enabled during the run)
  // is not on the page a person sees: a contrast finding counts only if a second run finds it again.
  if (result.violations.some((v) => v.id === "color-contrast")) {
    const again = new Set((await axeOnce(page)).violations.flatMap((v) => v.nodes.map((n) => nodeKey(v.id, n))));
    result = {
      violations: result.violations
        .map((v) =>
          v.id === "color-contrast" ? { ...v, nodes: v.nodes.filter((n) => again.has(nodeKey(v.id, n))) } : v,
        )
        .filter((v) => v.nodes.length > 0),
    };
  }
  // After a client-side navigation Next streams the new page's <title> in a moment later: a missing title
  // counts only if it is still missing once the document has had the chance to get one.
  if (result.violations.some((v) => v.id === "document-title")) {
    await page.waitForFunction(() => document.title.trim() !== "", null, { timeout: 5_000 }).catch(() => undefined);
    const again = (await axeOnce(page)).violations.some((v) => v.id === "document-title");
    if (!again) result = { violations: result.violations.filter((v) => v.id !== "document-title") };
  }
  const url = new URL(page.url()).pathname;
  // axe 4.x no longer reports an id used twice unless ARIA refers to it; a label's `for` or a test's
  // locator can pick the wrong element all the same, so every id must be unique.
  const duplicates = await page.evaluate(() => {
    const seen = new Map<string, number>();
    for (const element of document.querySelectorAll("[id]")) seen.set(element.id, (seen.get(element.id) ?? 0) + 1);
    return [...seen].filter(([, count]) => count > 1).map(([id]) => id);
  });
  const duplicateIds: Finding[] = duplicates.length
    ? [{ url, rule: "duplicate-id", impact: "serious", help: "ids must be unique", nodes: duplicates }]
    : [];
  return duplicateIds.concat(
    result.violations
      .filter((v) => v.impact && BLOCKING.has(v.impact))
      .map((v) => ({
        url,
        rule: v.id,
        impact: v.impact ?? "",
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.map(String).join(" ")}: ${n.html.slice(0, 160)}`),
      })),
  );
}

export async function expectAccessible(page: Page): Promise<void> {
  await page.waitForLoadState("load");
  expect(await axeFindings(page), `axe on ${page.url()}`).toEqual([]);
}

const closedPage = (error: unknown) =>
  error instanceof Error && /closed|destroyed|navigat|Target page/i.test(error.message);

/**
 * Checks each page of the test whenever it has loaded a new document or moved to a new URL, one check at a
 * time per page. A check cut short by the next navigation is dropped (the test moved on); what it does
 * find was really on the page. `finish()` waits for the last checks and returns every finding.
 */
export function watchAccessibility(browser: Browser, page: Page) {
  const findings = new Map<string, Finding>();
  const pending = new Map<Page, Promise<void>>();
  const watched = new Set<Page>();

  const check = (target: Page) => {
    const run = async () => {
      try {
        if (target.isClosed() || !target.url().startsWith("http")) return;
        await target.waitForLoadState("load");
        for (const finding of await runAxe(target)) findings.set(JSON.stringify(finding), finding);
      } catch (error) {
        if (!closedPage(error)) throw error;
      }
    };
    pending.set(target, serially(target, run));
  };
  const watch = (target: Page) => {
    if (watched.has(target)) return;
    watched.add(target);
    target.on("framenavigated", (frame) => {
      if (frame === target.mainFrame()) check(target);
    });
  };
  const watchContext = (context: BrowserContext) => {
    context.pages().forEach(watch);
    context.on("page", watch);
  };

  watchContext(page.context());
  // Contexts a test opens itself (a second user's browser) are watched too; their pages are checked
  // before the test closes them.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    watchContext(context);
    const close = context.close.bind(context);
    context.close = async (...closeArgs) => {
      await Promise.all(context.pages().map((p) => pending.get(p)));
      return close(...closeArgs);
    };
    return context;
  };

  return {
    async finish(): Promise<Finding[]> {
      browser.newContext = newContext;
      for (const target of watched) if (!target.isClosed()) check(target); // the state the test ended on
      await Promise.all(pending.values());
      return [...findings.values()];
    },
  };
}
