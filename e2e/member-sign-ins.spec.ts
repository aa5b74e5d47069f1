// Who has 2FA and each member's sign-ins, on the members page of a team's owner, in a real Chromium: the 2FA
// column says On or Off in words, Sign-ins opens that member's records, and the page is a 404 to a plain
// member, to another team's owner, and for an id that is not a member of the team.
import { expect, test, type SeededUser } from "./fixtures";
import { enrol, expectNoSidewaysScroll, screenshot } from "./support/two-factor";
import type { Page } from "@playwright/test";

async function expectNotFound(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
}

test("an owner sees who has 2FA and a member's sign-ins; members and other teams get a 404", async ({
  page,
  browser,
  seed,
  signIn,
}, testInfo) => {
  const owner = await seed.user({ name: "Olga Owner" });
  const enrolled = await seed.user({ name: "Ella Enrolled" });
  const off = await seed.user({ name: "Otto Off" });
  await seed.addMember(owner.team, enrolled, "member");
  await seed.addMember(owner.team, off, "member");

  // Ella signs in in her own browser and sets up 2FA there, as a person does.
  const ellas = await browser.newContext();
  const ellaPage = await ellas.newPage();
  await signIn(ellaPage, enrolled);
  await enrol(ellaPage, enrolled.password);
  await ellas.close();

  await signIn(page, owner);
  await page.goto(`/t/${owner.team.slug}/members`);
  const table = page.getByRole("table", { name: `Members of ${owner.team.name}` });
  const rowOf = (user: SeededUser) => table.getByRole("row").filter({ hasText: user.email });
  await expect(table.getByRole("columnheader", { name: "2FA" })).toBeVisible();
  await expect(rowOf(enrolled).getByRole("cell", { name: "On", exact: true })).toBeVisible();
  await expect(rowOf(off).getByRole("cell", { name: "Off", exact: true })).toBeVisible();
  await expect(rowOf(owner).getByRole("cell", { name: "Off", exact: true })).toBeVisible();
  await screenshot(page, testInfo, "members-2fa");

  // Otto has never signed in: his page says so.
  const ottoLink = rowOf(off).getByRole("link", { name: `Sign-ins of ${off.name}` });
  const ottoPath = (await ottoLink.getAttribute("href")) ?? "";
  await ottoLink.click();
  await expect(page).toHaveURL(ottoPath);
  await expect(page.getByRole("heading", { level: 1, name: `Sign-ins of ${off.name}` })).toBeVisible();
  await expect(page.getByText("No sign-in activity yet")).toBeVisible();
  await screenshot(page, testInfo, "member-sign-ins-empty");

  await page.getByRole("link", { name: "Back to members" }).click();
  const ellaLink = rowOf(enrolled).getByRole("link", { name: `Sign-ins of ${enrolled.name}` });
  const ellaPath = (await ellaLink.getAttribute("href")) ?? "";
  expect(ellaPath).toMatch(new RegExp(`^/t/${owner.team.slug}/members/[0-9a-f-]{36}/sign-ins$`));
  await ellaLink.click();
  await expect(page).toHaveURL(ellaPath);
  await expect(page.getByRole("heading", { level: 1, name: `Sign-ins of ${enrolled.name}` })).toBeVisible();
  await expect(page.getByText(enrolled.email)).toBeVisible();
  const history = page.getByRole("table", { name: `Sign-ins of ${enrolled.name}` });
  await expect(history.getByRole("row").filter({ hasText: "Two-factor authentication turned on" })).toHaveCount(1);
  await expect(history.getByRole("row").filter({ hasText: /Signed in.*127\.0\.0\.1/ })).toHaveCount(1);
  await screenshot(page, testInfo, "member-sign-ins");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(history.getByText("Two-factor authentication turned on")).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, "member-sign-ins-390");
  await page.goto(`/t/${owner.team.slug}/members`);
  await expect(rowOf(enrolled).getByRole("cell", { name: "On", exact: true })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, "members-2fa-390");

  // An id that is not a membership at all is a 404, not a server error.
  await expectNotFound(page, `/t/${owner.team.slug}/members/not-a-uuid/sign-ins`);

  // Otto, a plain member: neither the column nor the links, and the page itself is a 404.
  const ottos = await browser.newContext();
  const ottoPage = await ottos.newPage();
  await signIn(ottoPage, off);
  await ottoPage.goto(`/t/${owner.team.slug}/members`);
  const ottoTable = ottoPage.getByRole("table", { name: `Members of ${owner.team.name}` });
  await expect(ottoTable.getByRole("row").filter({ hasText: enrolled.email })).toBeVisible();
  await expect(ottoTable.getByRole("columnheader", { name: "2FA" })).toHaveCount(0);
  await expect(ottoTable.getByRole("link", { name: /Sign-ins/ })).toHaveCount(0);
  await expectNotFound(ottoPage, ellaPath);
  await ottos.close();

  // Another team's owner: a 404 under our team's address, and under their own team's with our member's id.
  const stranger = await seed.user({ name: "Sam Stranger" });
  const strangers = await browser.newContext();
  const strangerPage = await strangers.newPage();
  await signIn(strangerPage, stranger);
  await expectNotFound(strangerPage, ellaPath);
  await expectNotFound(strangerPage, ellaPath.replace(`/t/${owner.team.slug}/`, `/t/${stranger.team.slug}/`));
  await strangers.close();
});
