// Key rotation in the browser: a key made through the UI and aged 80 days (in the database) shows "Due soon"
// on the team home; rolling it from its page shows the new key once (a reload does not), says when the old
// one stops, and both keys work against the proxy during the overlap, the old one's use counted on the new
// key's page. Screenshots are attached to the test's results for a person to look at.
import { randomBytes } from "node:crypto";
import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./fixtures";
import { SAME_ORIGIN } from "./support/same-origin";
import { MOCK_ADMIN_KEY } from "../lib/mock-openai/server";

// fixtures.ts points DATABASE_URL at the e2e app's database before this runs.
const { db } = await import("../lib/db/client");

const DAY_MS = 86_400_000;

async function snapshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** The page itself never scrolls sideways. */
async function expectNoPageScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `page scrolls sideways on ${page.url()}`).toBeLessThanOrEqual(clientWidth);
}

async function chat(baseURL: string, key: string): Promise<number> {
  const response = await fetch(`${baseURL}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] }),
  });
  await response.arrayBuffer();
  return response.status;
}

test("a key due soon is rolled from its page: the new key shown once, both keys working during the overlap", async ({
  page,
  seed,
  signIn,
  baseURL,
}, testInfo) => {
  const owner = await seed.user({ name: "Rita Rotator" });
  await signIn(page, owner);
  const upstream = await page.request.post(`/api/teams/${owner.team.slug}/upstream-keys`, {
    headers: SAME_ORIGIN,
    data: { name: "Main", key: `sk-proj-rotation${randomBytes(24).toString("hex")}` },
  });
  expect(upstream.status()).toBe(201);

  await page.goto(`/t/${owner.team.slug}`);
  await expect(page.getByText("Nothing is due for rotation.")).toBeVisible();
  await page.goto(`/t/${owner.team.slug}/keys/new`);
  await page.getByLabel("Key name").fill("Batch jobs");
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByLabel("Your new API key");
  await expect(shown).toBeVisible();
  const oldKey = await shown.inputValue();
  const created = await db().apiKey.findFirstOrThrow({ where: { teamId: owner.team.id, name: "Batch jobs" } });
  // 80 days old under the default policy (due at 90 days, reminders from 14 days before): due soon.
  await db().apiKey.update({ where: { id: created.id }, data: { createdAt: new Date(Date.now() - 80 * DAY_MS) } });

  await page.goto(`/t/${owner.team.slug}`);
  const due = page.getByRole("list", { name: "Keys due for rotation" });
  const item = due.getByRole("listitem").filter({ hasText: "Batch jobs" });
  await expect(item).toContainText("Due soon");
  await expect(item).toContainText(owner.email);
  await snapshot(page, testInfo, "team-home-due-soon");

  await page.goto(`/t/${owner.team.slug}/keys`);
  const row = page.getByRole("row").filter({ hasText: "Batch jobs" });
  await expect(row).toContainText("Due soon");
  await expect(row).toContainText("2 months"); // 80 days, as formatAge puts it

  await page.goto(`/t/${owner.team.slug}`);
  await page.getByRole("link", { name: /^Batch jobs/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Batch jobs" })).toBeVisible();
  await page.getByLabel("The old key keeps working for").selectOption({ label: "6 hours" });
  await page.getByRole("button", { name: "Roll key" }).click();
  const rolled = page.getByLabel("Your new API key");
  await expect(rolled).toBeVisible();
  const newKey = await rolled.inputValue();
  expect(newKey).toMatch(/^kw_live_/);
  expect(newKey).not.toBe(oldKey);
  await expect(page.getByText("It is shown only this once")).toBeVisible();
  await expect(page.getByText(/The old key keeps working until .+ UTC\./)).toBeVisible();
  const stored = await db().apiKey.findUniqueOrThrow({ where: { id: created.id } });
  const hours = ((stored.overlapEndsAt?.getTime() ?? 0) - Date.now()) / 3_600_000;
  expect(hours).toBeGreaterThan(5.9);
  expect(hours).toBeLessThanOrEqual(6);
  await snapshot(page, testInfo, "roll-result");

  // Shown once: a reload shows neither key, only that this one was rolled and when it stops.
  await page.reload();
  await expect(page.getByText(/Rolled — this key stops at/)).toBeVisible();
  expect(await page.content()).not.toContain(newKey);
  expect(await page.content()).not.toContain(oldKey);

  // During the overlap both keys work.
  const base = baseURL ?? "";
  expect(await chat(base, oldKey)).toBe(200);
  expect(await chat(base, newKey)).toBe(200);

  // The keys list notes the roll; the old key is no longer "due" (it is being replaced), on the home either.
  await page.goto(`/t/${owner.team.slug}/keys`);
  await expect(page.getByRole("row").filter({ hasText: stored.prefix })).toContainText("Rolled — old key stops at");
  await page.goto(`/t/${owner.team.slug}`);
  await expect(page.getByText("Nothing is due for rotation.")).toBeVisible();

  // The new key's page counts the old key's requests (the proxy flushes its usage every few seconds).
  const successor = await db().apiKey.findFirstOrThrow({ where: { rolledFromId: created.id } });
  await page.goto(`/t/${owner.team.slug}/keys/${successor.id}`);
  await expect(page.getByText(/The old key \(kw_live_\w+…\) keeps working until/)).toBeVisible();
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByText("Still used by the old key: 1 request in the last hour.").isVisible();
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  await snapshot(page, testInfo, "successor-overlap");

  // Holds at 390 px.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of [
    `/t/${owner.team.slug}`,
    `/t/${owner.team.slug}/keys`,
    `/t/${owner.team.slug}/keys/${successor.id}`,
  ]) {
    await page.goto(path);
    await expectNoPageScroll(page);
  }
  const rollButton = page.getByRole("button", { name: "Roll key" });
  await rollButton.scrollIntoViewIfNeeded();
  await expect(rollButton).toBeInViewport();
  await snapshot(page, testInfo, "successor-390px");
});

test("a member sees what of theirs is due on their keys page, and only theirs on the team home", async ({
  page,
  seed,
  signIn,
}, testInfo) => {
  const owner = await seed.user();
  const member = await seed.user({ name: "Mia Member" });
  await seed.addMember(owner.team, member, "member");
  const { issueKey } = await import("../lib/keys/store");
  const issue = (holderId: string, name: string) =>
    issueKey(
      {
        teamId: owner.team.id,
        holderId,
        createdById: holderId,
        actor: { type: "system", label: "e2e" },
        request: { ip: null, userAgent: "e2e" },
      },
      { name, scopes: { endpoints: { chat: "read" } } },
    );
  const mine = await issue(member.id, "Mia's notebook");
  const owners = await issue(owner.id, "Owner's deploy");
  for (const id of [mine.id, owners.id])
    await db().apiKey.update({ where: { id }, data: { createdAt: new Date(Date.now() - 100 * DAY_MS) } });

  await signIn(page, member);
  await page.goto(`/t/${owner.team.slug}/keys`);
  const own = page.getByRole("list", { name: "Your keys due for rotation" });
  await expect(own.getByRole("listitem")).toHaveCount(1);
  await expect(own).toContainText("Mia's notebook");
  await expect(own).toContainText("Overdue");
  await snapshot(page, testInfo, "member-keys-overdue");

  await page.goto(`/t/${owner.team.slug}`);
  const home = page.getByRole("list", { name: "Keys due for rotation" });
  await expect(home).toContainText("Mia's notebook");
  await expect(home).not.toContainText("Owner's deploy");
});

test("the rotation policy is set on the key settings page: a bad value is named by its field and keeps what was typed", async ({
  page,
  seed,
  signIn,
}, testInfo) => {
  const owner = await seed.user({ name: "Polly Policy" });
  await signIn(page, owner);
  await page.goto(`/t/${owner.team.slug}/keys/settings`);
  const member = page.getByLabel("Member keys: rotate every (days)");
  await expect(member).toHaveValue("90");
  await expect(page.getByLabel("Reminders (days before the due date)")).toHaveValue("14, 3, 0");
  await member.fill("0");
  await page.getByLabel("Reminders (days before the due date)").fill("10, 2");
  await page.getByRole("button", { name: "Save rotation policy" }).click();
  await expect(page.getByText("Member keys: at least 1 day.").first()).toBeVisible();
  await expect(page.getByLabel("Reminders (days before the due date)")).toHaveValue("10, 2");
  await snapshot(page, testInfo, "rotation-policy-refused");
  await member.fill("30");
  await page.getByLabel("At the due date").selectOption("expire");
  await page.getByRole("button", { name: "Save rotation policy" }).click();
  await expect(page.getByText("Rotation policy saved.")).toBeVisible();
  const team = await db().team.findUniqueOrThrow({ where: { id: owner.team.id }, select: { rotationPolicy: true } });
  expect(team.rotationPolicy).toMatchObject({
    memberKeyMaxAgeDays: 30,
    reminderOffsetsDays: [10, 2],
    atDeadline: "expire",
  });
  await page.reload();
  await expect(member).toHaveValue("30");
});

test("an owner stores an OpenAI Admin key and rotates the team's OpenAI key now: a new service-account key serves, the old one retires", async ({
  page,
  seed,
  signIn,
}, testInfo) => {
  const owner = await seed.user({ name: "Otto Rotate" });
  await signIn(page, owner);
  const upstream = await page.request.post(`/api/teams/${owner.team.slug}/upstream-keys`, {
    headers: SAME_ORIGIN,
    data: { name: "Main", key: `sk-proj-rotation${randomBytes(24).toString("hex")}` },
  });
  expect(upstream.status()).toBe(201);
  await page.goto(`/t/${owner.team.slug}/upstream-keys`);
  // A wrong Admin key is refused by OpenAI (the mock), named by its field; nothing is stored.
  await page.getByLabel("OpenAI Admin key").fill(`sk-admin-wrong${randomBytes(12).toString("hex")}`);
  await page.getByLabel("Project for rotated keys").fill("proj_mock");
  await page.getByRole("button", { name: "Save Admin key" }).click();
  await expect(page.getByText("OpenAI refused this Admin key").first()).toBeVisible();
  await page.getByLabel("OpenAI Admin key").fill(MOCK_ADMIN_KEY);
  await page.getByRole("button", { name: "Save Admin key" }).click();
  await expect(page.getByText(/Saved sk-admin-…\w{4} for proj_mock/)).toBeVisible();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Rotate now: Main" }).click();
  // The old key leaves the pool at once (disabled, retiring after the overlap); the new one serves.
  await expect(page.getByText(/Rotated · retires/)).toBeVisible();
  await snapshot(page, testInfo, "openai-key-rotated");
  const keys = await db().upstreamKey.findMany({ where: { teamId: owner.team.id }, orderBy: { createdAt: "asc" } });
  expect(keys.map((key) => [key.enabled, key.serviceAccountId !== null, key.retiresAt !== null])).toEqual([
    [false, false, true],
    [true, true, false],
  ]);
});
