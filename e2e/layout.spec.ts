// Layout holds: a 60-character unbroken team name never widens the page at 1280 px, and the keys and members
// tables stay usable at 390 px (rows stack, every action stays on screen). Screenshots in
// test-results/screenshots/ are for a person to look at.
import { randomBytes } from "node:crypto";
import { expect, test, type SeededUser } from "./fixtures";
import type { Locator, Page } from "@playwright/test";
import { SAME_ORIGIN } from "./support/same-origin";

/** `length` characters with no space, hyphen or other break opportunity, unique per run. */
function unbroken(stem: string, length = 60): string {
  return `${stem}${randomBytes(4).toString("hex")}`.padEnd(length, "x").slice(0, length);
}

/** The page itself never scrolls sideways: anything too wide must wrap, truncate or scroll inside a box. */
async function expectNoPageScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `page scrolls sideways on ${page.url()}`).toBeLessThanOrEqual(clientWidth);
}

/** The element is entirely within the viewport horizontally, so it can be seen and used without scrolling. */
async function expectWithinViewport(page: Page, element: Locator) {
  const { left, right } = await edges(element);
  expect(left).toBeGreaterThanOrEqual(0);
  expect(right).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
}

async function edges(element: Locator): Promise<{ left: number; right: number }> {
  const box = await element.boundingBox();
  if (!box) throw new Error(`${element} is not rendered`);
  return { left: box.x, right: box.x + box.width };
}

async function createKeys(page: Page, team: SeededUser["team"], names: string[]) {
  for (const name of names) {
    const created = await page.request.post(`/api/teams/${team.slug}/keys`, {
      headers: SAME_ORIGIN,
      data: {
        name,
        scopes: { endpoints: { chat: "write", embeddings: "read" }, models: ["gpt-4o-mini"], limits: { rpm: 60 } },
      },
    });
    expect(created.status()).toBe(201);
  }
}

test("a 60-character unbroken team name does not widen the page at 1280 px", async ({ page, seed, signIn }) => {
  const teamName = unbroken("Averyveryverylongteamnamewithoutasinglespace");
  expect(teamName).toHaveLength(60);
  const owner = await seed.user({ teamName, name: `Lou ${unbroken("Longsurnamewithoutbreaks", 56)}` });
  await signIn(page, owner);
  await page.setViewportSize({ width: 1280, height: 800 });
  await createKeys(page, owner.team, [unbroken("Keynamewithoutbreaks")]);

  await page.goto(`/t/${owner.team.slug}`);
  const title = page.getByRole("heading", { level: 1, name: teamName });
  await expect(title).toBeVisible();
  await expectNoPageScroll(page);
  // The title wraps inside the page column, and the sidebar's team switcher truncates within the sidebar.
  expect((await edges(title)).right).toBeLessThanOrEqual((await edges(page.locator("main"))).right);
  const switcher = page.locator("summary").filter({ hasText: "Switch team:" });
  await expect(switcher.getByTitle(teamName)).toBeVisible();
  expect((await edges(switcher)).right).toBeLessThanOrEqual((await edges(page.locator("aside"))).right);
  await page.screenshot({ path: "test-results/screenshots/long-team-name-1280.png", fullPage: true });

  for (const path of ["keys", "members", "upstream-keys", "keys/settings", "keys/new"]) {
    await page.goto(`/t/${owner.team.slug}/${path}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoPageScroll(page);
  }
  await page.goto(`/t/${owner.team.slug}/keys`);
  await page.screenshot({ path: "test-results/screenshots/keys-table-1280.png", fullPage: true });
  await page.goto("/account");
  await expectNoPageScroll(page);
});

test("at 390 px the keys table stacks its rows and every key can be revoked without scrolling sideways", async ({
  page,
  seed,
  signIn,
}) => {
  const owner = await seed.user({ teamName: unbroken("Phoneteamnamewithoutbreaks") });
  await signIn(page, owner);
  await page.setViewportSize({ width: 390, height: 844 });
  const names = [unbroken("Firstkeywithaverylongname"), unbroken("Secondkeywithaverylongname"), "CI"];
  await createKeys(page, owner.team, names);

  await page.goto(`/t/${owner.team.slug}/keys`);
  const table = page.getByRole("table", { name: "Member keys of the team" });
  await expect(table).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(names.length + 1); // the header row, for screen readers
  await expectNoPageScroll(page);
  // Stacked: each row is a block as wide as the table, and the table fits its card.
  await expectWithinViewport(page, table);
  for (const name of names) {
    const row = table.getByRole("row").filter({ hasText: name });
    expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe("block");
    await expectWithinViewport(page, row.getByRole("button", { name: `Revoke ${name}` }));
    await expect(row.getByRole("link", { name })).toBeVisible();
  }
  await page.screenshot({ path: "test-results/screenshots/keys-table-390.png", fullPage: true });

  // Usable, not just visible: revoking from the stacked row works.
  page.once("dialog", (dialog) => void dialog.accept());
  await table.getByRole("button", { name: `Revoke ${names[0]}` }).click();
  await expect(page.getByRole("row").filter({ hasText: names[0] })).toHaveCount(0);
  await expectNoPageScroll(page);

  // The key's own page, titled with its long name.
  await table.getByRole("link", { name: names[1] }).click();
  await expect(page.getByRole("heading", { level: 1, name: names[1] })).toBeVisible();
  await expectNoPageScroll(page);
  await page.screenshot({ path: "test-results/screenshots/key-page-390.png", fullPage: true });
});

test("at 390 px the members page does not scroll sideways and each member's controls stay on screen", async ({
  page,
  seed,
  signIn,
}) => {
  const owner = await seed.user({ teamName: unbroken("Memberteamnamewithoutbreaks") });
  const member = await seed.user({ name: `Max ${unbroken("Membersurnamewithoutbreaks", 56)}` });
  await seed.addMember(owner.team, member, "member");
  await signIn(page, owner);
  await page.setViewportSize({ width: 390, height: 844 });

  await page.goto(`/t/${owner.team.slug}/members`);
  const table = page.getByRole("table", { name: `Members of ${owner.team.name}` });
  await expect(table).toBeVisible();
  await expectNoPageScroll(page);
  const row = table.getByRole("row").filter({ hasText: member.name });
  await expect(row).toContainText(member.email);
  await expectWithinViewport(page, row.getByRole("button", { name: `Remove ${member.name}` }));
  await expectWithinViewport(page, row.getByLabel(`Role of ${member.name}`));
  // The owner is the team's only owner: no Leave button, but Delete, named after the team, wraps on screen.
  await expectWithinViewport(page, page.getByRole("button", { name: `Delete ${owner.team.name}` }));
  await page.screenshot({ path: "test-results/screenshots/members-390.png", fullPage: true });
});
