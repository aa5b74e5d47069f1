// The audit log in a real Chromium, as a security lead uses it: filter by actor and by action group (the
// filters live in the URL), page older and back newer, open an entry with its scope diff, export the view
// as CSV and find the same rows; an auditor sees it, members and viewers get a 404 on the page, the API
// and the export.
import { parse } from "csv-parse/sync";
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { SAME_ORIGIN } from "./support/same-origin";
import { expectNoSidewaysScroll, screenshot } from "./support/two-factor";

const entries = (page: Page) => page.getByRole("table", { name: "Audit log entries, newest first" });
const rows = (page: Page) => entries(page).locator("tbody tr");
/** The "Action" cell text of every row on the page, top to bottom. */
const actionTexts = (page: Page) => rows(page).locator("td:nth-child(3)").allInnerTexts();

test("a security lead filters, pages, opens a scope diff and exports the audit log", async ({
  page,
  browser,
  seed,
  signIn,
}, testInfo) => {
  const { recordAudit } = await import("../lib/audit/record");
  const { transaction } = await import("../lib/db/transaction");
  const owner = await seed.user({ name: "Sam Security" });
  const member = await seed.user({ name: "Mel Member" });
  await seed.addMember(owner.team, member, "member");

  // Mel signs in and creates a key; the owner then narrows it to read-only: a scope change to review.
  const melContext = await browser.newContext();
  const melPage = await melContext.newPage();
  await signIn(melPage, member);
  const created = await melPage.request.post(`/api/teams/${owner.team.slug}/keys`, {
    headers: SAME_ORIGIN,
    data: { name: "Mel's script", scopes: { endpoints: { chat: "write" } } },
  });
  expect(created.status()).toBe(201);
  const { data: key } = (await created.json()) as { data: { id: string } };
  await signIn(page, owner);
  const narrowed = await page.request.patch(`/api/teams/${owner.team.slug}/keys/${key.id}`, {
    headers: SAME_ORIGIN,
    data: { scopes: { endpoints: { chat: "read" } } },
  });
  expect(narrowed.status()).toBe(200);
  // Older history, enough for more than one page of 50.
  for (let index = 0; index < 60; index++)
    await transaction((tx) =>
      recordAudit(tx, {
        teamId: owner.team.id,
        actor: { type: "user", id: owner.id, label: owner.email },
        action: "invite.create",
        targets: [{ type: "invite", id: crypto.randomUUID(), label: `guest-${index}@example.test` }],
        context: { ip: "198.51.100.7", userAgent: "e2e-seed" },
      }),
    );

  await page.goto(`/t/${owner.team.slug}`);
  await page.getByRole("link", { name: "View the audit log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(rows(page)).toHaveCount(50);
  await screenshot(page, testInfo, "audit-log");

  // Page forward and back: the older page starts where the first ended, and Newer returns to the same rows.
  const firstPage = await actionTexts(page);
  await page
    .getByRole("navigation", { name: "Pages of the audit log" })
    .first()
    .getByRole("link", { name: "Older →" })
    .click();
  await expect(page).toHaveURL(/cursor=/);
  await expect.poll(() => actionTexts(page)).not.toEqual(firstPage);
  const secondPage = await actionTexts(page);
  expect(secondPage.length).toBeGreaterThan(0);
  expect(secondPage.some((text) => firstPage.includes(text) && text.includes("guest-"))).toBe(false);
  await screenshot(page, testInfo, "audit-log-older");
  await page
    .getByRole("navigation", { name: "Pages of the audit log" })
    .first()
    .getByRole("link", { name: "← Newer" })
    .click();
  await expect(page).toHaveURL(/dir=newer/);
  await expect.poll(() => actionTexts(page)).toEqual(firstPage);

  // Filter by actor: only Mel's entries (her sign-in, her key), and the filter is in the URL.
  await page.goto(`/t/${owner.team.slug}/audit`);
  await page.getByLabel("Actor", { exact: true }).fill(member.email);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`actor=${encodeURIComponent(member.email).replace(/\./g, "\\.")}`));
  await expect(page.getByLabel("Actor", { exact: true })).toHaveValue(member.email);
  await expect(rows(page).filter({ hasText: "created the key" })).toHaveCount(1);
  await expect(rows(page).filter({ hasText: "Signed in" }).first()).toBeVisible();
  const actors = await rows(page).locator("td:nth-child(2)").allInnerTexts();
  expect(new Set(actors)).toEqual(new Set([member.email]));

  // …and by action group: Sign-ins of Mel only.
  await page.getByLabel("Action", { exact: true }).selectOption({ label: "Sign-ins" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/group=sign_ins/);
  await expect(rows(page).filter({ hasText: "created the key" })).toHaveCount(0);
  await expect(rows(page).filter({ hasText: "Signed in" }).first()).toBeVisible();
  await screenshot(page, testInfo, "audit-log-filtered");

  // Keys group, everyone: open the scope change and read its diff.
  await page.goto(`/t/${owner.team.slug}/audit?group=keys`);
  await expect(rows(page).filter({ hasText: "guest-" })).toHaveCount(0);
  await rows(page).filter({ hasText: "changed the scopes of the key" }).getByRole("link").click();
  const drawer = page.getByRole("dialog", { name: /changed the scopes of the key/ });
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(/event=audit%3A|event=audit:/);
  await expect(drawer.getByText(owner.email).first()).toBeVisible();
  const diff = drawer.getByRole("table", { name: "What changed" });
  await expect(diff.getByRole("row").filter({ hasText: "write" }).filter({ hasText: "read" })).toHaveCount(1);
  await expect(drawer.getByRole("link", { name: /Mel's script/ })).toHaveAttribute(
    "href",
    `/t/${owner.team.slug}/keys/${key.id}`,
  );
  await screenshot(page, testInfo, "audit-event-drawer");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(page).not.toHaveURL(/event=/);
  await expect(page).toHaveURL(/group=keys/);

  // Export the filtered view as CSV: the same entries, in the same order.
  const viewRows = await actionTexts(page);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${owner.team.slug}-audit-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const csv = parse(await readFile((await download.path())!, "utf8"), { columns: true }) as Record<string, string>[];
  expect(csv.map((row) => row.description)).toEqual(viewRows);
  expect(csv.every((row) => row.action?.startsWith("api_key."))).toBe(true);

  // The export is in the log itself.
  await page.goto(`/t/${owner.team.slug}/audit?group=audit`);
  await expect(rows(page).filter({ hasText: "exported the audit log" })).toHaveCount(1);

  // At 390 px the log and the drawer hold without scrolling sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/t/${owner.team.slug}/audit`);
  await expect(rows(page).first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, "audit-log-390");
  await page.screenshot({ path: testInfo.outputPath("audit-log-390-top.png") });
  await page.goto(`/t/${owner.team.slug}/audit?group=keys`);
  await rows(page).filter({ hasText: "changed the scopes of the key" }).getByRole("link").click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, "audit-event-drawer-390");
  await melContext.close();
});

test("an auditor reads the log but no keys; members and viewers get a 404 on the page, API and export", async ({
  browser,
  seed,
  signIn,
}, testInfo) => {
  const owner = await seed.user();
  const auditor = await seed.user({ name: "Aude Auditor" });
  const member = await seed.user({ name: "Max Member" });
  const viewer = await seed.user({ name: "Vera Viewer" });
  await seed.addMember(owner.team, auditor, "auditor");
  await seed.addMember(owner.team, member, "member");
  await seed.addMember(owner.team, viewer, "viewer");
  const slug = owner.team.slug;

  const auditorContext = await browser.newContext();
  const auditorPage = await auditorContext.newPage();
  await signIn(auditorPage, auditor);
  await auditorPage.goto(`/t/${slug}`);
  await auditorPage.getByRole("link", { name: "Audit log", exact: true }).click();
  await expect(auditorPage.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(rows(auditorPage).filter({ hasText: "created the team" })).toHaveCount(1);
  await screenshot(auditorPage, testInfo, "audit-log-auditor");
  expect((await auditorPage.request.get(`/api/teams/${slug}/audit-events`)).status()).toBe(200);
  for (const path of [`/t/${slug}/keys`, `/t/${slug}/upstream-keys`])
    expect((await auditorPage.goto(path))?.status(), path).toBe(404);
  await auditorContext.close();

  for (const person of [member, viewer]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, person);
    await page.goto(`/t/${slug}`);
    await expect(page.getByRole("link", { name: "Audit log", exact: true })).toHaveCount(0);
    const response = await page.goto(`/t/${slug}/audit`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    expect((await page.request.get(`/api/teams/${slug}/audit-events`)).status()).toBe(404);
    expect((await page.request.get(`/api/teams/${slug}/audit-events/export?format=csv`)).status()).toBe(404);
    expect((await page.request.get(`/api/teams/${slug}/audit-events/verify`)).status()).toBe(404);
    expect((await page.goto(`/t/${slug}/audit?verify=1`))?.status()).toBe(404);
    await context.close();
  }
});

test("an owner streams the log to a SIEM: adds an endpoint, sees its secret once, and each event's delivery", async ({
  page,
  seed,
  signIn,
}, testInfo) => {
  const { Webhook } = await import("standardwebhooks");
  const http = await import("node:http");
  const received: { headers: Record<string, string>; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/siem`;
  try {
    const owner = await seed.user({ name: "Siem Owner" });
    await signIn(page, owner);
    await page.goto(`/t/${owner.team.slug}/audit`);
    const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "Streaming to a SIEM" }) });
    await expect(card.getByText("No endpoint yet.")).toBeVisible();
    await card.getByLabel("Endpoint URL").fill("ftp://nope");
    await card.getByRole("button", { name: "Add endpoint" }).click();
    await expect(card.getByText(/Endpoint URL must be an http/).first()).toBeVisible();
    await expect(card.getByLabel("Endpoint URL")).toHaveValue("ftp://nope");
    await card.getByLabel("Endpoint URL").fill(url);
    await card.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await card.getByLabel("Signing secret").innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    await screenshot(page, testInfo, "audit-webhook-added");

    // The webhook's own creation is the first event streamed; it arrives signed with that secret.
    await expect.poll(() => received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    const first = received[0]!;
    expect(() => new Webhook(secret).verify(first.body, first.headers)).not.toThrow();
    const { data } = JSON.parse(first.body) as { data: { id: string; action: string } };
    expect(data.action).toBe("audit.webhook_create");

    await page.goto(`/t/${owner.team.slug}/audit?event=audit:${data.id}`);
    const drawer = page.getByRole("dialog");
    await expect(drawer.getByText("Delivered")).toBeVisible();
    await expect(drawer.getByRole("listitem").filter({ hasText: "Delivered" })).toContainText(url);
    await screenshot(page, testInfo, "audit-event-delivered");
    await page.keyboard.press("Escape");
    await expect(card.getByRole("row").filter({ hasText: url })).toContainText("delivered");
    expect(page.url()).not.toContain("whsec_");
    await page.reload();
    await expect(page.getByText(secret)).toHaveCount(0);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test("the chain head is published and Verify says the chain is intact; retention is kept at least 90 days", async ({
  page,
  seed,
  signIn,
}, testInfo) => {
  const owner = await seed.user({ name: "Vic Verifier" });
  await signIn(page, owner);
  await page.goto(`/t/${owner.team.slug}`);
  const headLine = page.getByText(/Audit chain head: event \d+/);
  await expect(headLine).toBeVisible();
  const hash = (await headLine.locator("code").innerText()).trim();
  expect(hash).toMatch(/^[0-9a-f]{64}$/);

  await page.goto(`/t/${owner.team.slug}/audit`);
  const evidence = page.locator("section").filter({ has: page.getByRole("heading", { name: "Tamper evidence" }) });
  await expect(evidence.getByText(hash)).toBeVisible();
  await evidence.getByRole("button", { name: "Verify the chain" }).click();
  await expect(page).toHaveURL(/verify=1/);
  await expect(evidence.getByText(/The chain is intact up to event \d+/)).toBeVisible();
  await screenshot(page, testInfo, "audit-verified");

  const days = evidence.getByLabel("Keep audit events for (days)");
  await expect(days).toHaveValue("400");
  await days.fill("30");
  await evidence.getByRole("button", { name: "Save retention" }).click();
  await expect(evidence.getByText("Audit events are kept at least 90 days.").first()).toBeVisible();
  await expect(days).toHaveValue("30");
  await days.fill("120");
  await evidence.getByRole("button", { name: "Save retention" }).click();
  await expect(evidence.getByText("Audit events are now kept for 120 days.")).toBeVisible();
  await page.goto(`/t/${owner.team.slug}/audit?group=audit`);
  await expect(rows(page).filter({ hasText: "changed the audit retention period" })).toHaveCount(1);
});
