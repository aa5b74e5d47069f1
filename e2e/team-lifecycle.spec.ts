// A team's life: its owner renames it and moves its address (Settings), the old address stops answering,
// an address another team has is refused with what was typed kept, and a team's last owner is not offered
// a "Leave" button the server would refuse.
import { expect, test } from "./fixtures";

test("an owner renames the team and moves its address; the old address is not found", async ({
  page,
  seed,
  signIn,
}) => {
  const owner = await seed.user({ teamName: "Before Rename" });
  const other = await seed.user();
  await signIn(page, owner);
  await page.goto(`/t/${owner.team.slug}`);
  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Team settings" })).toBeVisible();

  // Taken by another team: refused, nothing changes, and what was typed stays.
  await page.getByLabel("Team name").fill("After Rename");
  await page.getByLabel("Address").fill(other.team.slug);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("alert").first()).toContainText("Check the fields below");
  await expect(page.getByText("Another team already uses this address.")).toBeVisible();
  await expect(page.getByLabel("Team name")).toHaveValue("After Rename");
  await expect(page.getByLabel("Address")).toHaveValue(other.team.slug);
  await expect(page.getByLabel("Address")).toHaveAttribute("aria-invalid", "true");
  await page.screenshot({ path: "test-results/screenshots/team-settings-error.png", fullPage: true });

  const slug = `after-rename-${owner.team.id.slice(0, 6)}`;
  await page.getByLabel("Address").fill(slug);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}/settings\\?saved=1$`));
  await expect(page.getByText("Saved. The team now lives at this address.")).toBeVisible();
  await expect(page.getByLabel("Team name")).toHaveValue("After Rename");
  await page.goto(`/t/${slug}`);
  await expect(page.getByRole("heading", { level: 1, name: "After Rename" })).toBeVisible();

  const old = await page.goto(`/t/${owner.team.slug}`);
  expect(old?.status()).toBe(404);
});

test("admins see no Settings; a team's last owner sees no Leave button, a second owner does", async ({
  browser,
  page,
  seed,
  signIn,
}) => {
  const owner = await seed.user();
  const admin = await seed.user();
  await seed.addMember(owner.team, admin, "admin");

  await signIn(page, owner);
  await page.goto(`/t/${owner.team.slug}/members`);
  await expect(page.getByText("You are its only owner: a team always keeps one.")).toBeVisible();
  await expect(page.getByRole("button", { name: `Leave ${owner.team.name}` })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screenshots/last-owner.png", fullPage: true });

  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, admin);
  await adminPage.goto(`/t/${owner.team.slug}`);
  await expect(adminPage.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Settings" })).toHaveCount(
    0,
  );
  expect((await adminPage.goto(`/t/${owner.team.slug}/settings`))?.status()).toBe(404);
  await adminPage.goto(`/t/${owner.team.slug}/members`);
  await expect(adminPage.getByRole("button", { name: `Leave ${owner.team.name}` })).toBeVisible();
  await adminContext.close();

  // With a second owner, the first may leave.
  const { db } = await import("../lib/db/client");
  await db().membership.updateMany({ where: { teamId: owner.team.id, userId: admin.id }, data: { role: "owner" } });
  await page.reload();
  await expect(page.getByRole("button", { name: `Leave ${owner.team.name}` })).toBeVisible();
});
