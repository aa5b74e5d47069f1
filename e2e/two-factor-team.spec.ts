// The team side of 2FA in a real Chromium: an owner requires it (seeing first who is affected), a member
// without it is sent to set-up before any page of the team, members in the grace period see a banner, and a
// dangerous change made more than 10 minutes after the last password or code asks again (step-up), then
// completes with the same values once confirmed.
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test, type SeededUser } from "./fixtures";
import { enrol, expectNoSidewaysScroll, nextCode, screenshot } from "./support/two-factor";

const { db } = await import("../lib/db/client");

const fakeKey = () =>
  `sk-proj-stepup${randomBytes(24)
    .toString("base64url")
    .replace(/[^A-Za-z0-9]/g, "x")}`;

/** The password or code was last entered 11 minutes ago: the next dangerous change must ask again. */
async function expireStepUp(user: SeededUser): Promise<void> {
  await db().userSession.updateMany({
    where: { userId: user.id },
    data: { reauthenticatedAt: new Date(Date.now() - 11 * 60 * 1000) },
  });
}

async function fillUpstreamKey(page: Page, owner: SeededUser, name: string, key: string): Promise<void> {
  await page.goto(`/t/${owner.team.slug}/upstream-keys`);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("OpenAI API key").fill(key);
  await page.getByLabel("Weight").fill("3");
  await page.getByRole("button", { name: "Check and save" }).click();
}

test("an owner requires 2FA: who is affected is shown first, and a member without it is sent to set-up", async ({
  page,
  browser,
  seed,
  signIn,
}, testInfo) => {
  const owner = await seed.user({ name: "Olga Owner" });
  const member = await seed.user({ name: "Milo Member" });
  await seed.addMember(owner.team, member, "member");
  await signIn(page, owner);

  // The owner has no 2FA yet: the policy would shut them out too, so it is refused with a clear message.
  await page.goto(`/t/${owner.team.slug}/settings`);
  await expect(page.getByText("Turn on two-factor authentication for your own account first")).toBeVisible();
  await page.getByLabel("Require two-factor authentication").check();
  await page.getByRole("button", { name: "Save 2FA policy" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "the policy would lock you out too" })).toBeVisible();
  // Nothing changed, and the box is still ticked as the owner left it.
  await expect(page.getByLabel("Require two-factor authentication")).toBeChecked();
  expect((await db().team.findUniqueOrThrow({ where: { id: owner.team.id } })).twoFactorRequiredAt).toBeNull();

  await enrol(page, owner.password);
  await page.getByRole("button", { name: "I have saved them" }).click();
  await page.goto(`/t/${owner.team.slug}/settings`);
  await expect(page.getByRole("heading", { level: 2, name: "Two-factor authentication" })).toBeVisible();
  await expect(page.getByText("Turn on two-factor authentication for your own account first")).toHaveCount(0);
  await expect(page.getByText("1 member without two-factor authentication would be affected")).toBeVisible();
  await expect(page.getByText("Milo Member")).toBeVisible();
  await screenshot(page, testInfo, "settings-2fa-policy");
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, "settings-2fa-policy-390");
  await page.setViewportSize({ width: 1280, height: 800 });

  // With a grace period, the member is warned on every page of the team but not yet shut out.
  await page.getByLabel("Require two-factor authentication").check();
  await page.getByLabel("Grace period (days)").fill("7");
  await page.getByRole("button", { name: "Save 2FA policy" }).click();
  await expect(page.getByText("Saved. The policy applies from the next request.")).toBeVisible();

  const memberContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const memberPage = await memberContext.newPage();
  await signIn(memberPage, member);
  await memberPage.goto(`/t/${owner.team.slug}/keys`);
  await expect(memberPage.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await expect(
    memberPage.getByText(`${owner.team.name} requires two-factor authentication. Set it up before`),
  ).toBeVisible();
  await screenshot(memberPage, testInfo, "grace-banner");

  // No grace: the member's next page of the team is the set-up prompt.
  await page.getByLabel("Grace period (days)").fill("0");
  await page.getByRole("button", { name: "Save 2FA policy" }).click();
  await expect(page.getByText("Saved. The policy applies from the next request.")).toBeVisible();
  // "Saved." is still on the page from the first save: wait for the second save's event, not the text.
  const latestPolicyEvent = () =>
    db().auditEvent.findFirstOrThrow({
      where: { teamId: owner.team.id, action: "team.two_factor_policy_update" },
      orderBy: { seq: "desc" },
    });
  await expect
    .poll(async () => (await latestPolicyEvent()).metadata)
    .toMatchObject({
      after: { required: true, graceDays: 0 },
      membersWithoutTwoFactor: 1,
    });

  await memberPage.goto(`/t/${owner.team.slug}/keys`);
  await expect(memberPage).toHaveURL(new RegExp(`/account/security\\?required=${owner.team.slug}$`));
  await expect(memberPage.getByText(owner.team.name).first()).toBeVisible();
  await screenshot(memberPage, testInfo, "required-enrolment");
  // Once set up, the team opens again.
  await enrol(memberPage, member.password);
  await memberPage.getByRole("button", { name: "I have saved them" }).click();
  await memberPage.goto(`/t/${owner.team.slug}/keys`);
  await expect(memberPage.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await memberContext.close();
});

test("adding an OpenAI key 11 minutes after the last code asks for a code, then saves what was typed", async ({
  page,
  seed,
  signIn,
}, testInfo) => {
  const owner = await seed.user();
  await signIn(page, owner);
  const enrolled = await enrol(page, owner.password);
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expireStepUp(owner);

  await fillUpstreamKey(page, owner, "Production", fakeKey());
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(dialog).toBeVisible();
  expect(await db().upstreamKey.count({ where: { teamId: owner.team.id } })).toBe(0);
  await screenshot(page, testInfo, "step-up-dialog");

  // A wrong code is refused inside the dialog; the form behind it is untouched.
  await dialog.getByLabel("Password or authenticator code").fill("000000");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog.getByRole("alert")).toBeVisible();
  await expect(dialog).toBeVisible();

  await dialog.getByLabel("Password or authenticator code").fill(await nextCode(enrolled));
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
  // The same submission went again, the key (never echoed to the page) included.
  await expect(page.getByText(/Saved Production \(sk-/)).toBeVisible();
  const saved = await db().upstreamKey.findFirstOrThrow({ where: { teamId: owner.team.id } });
  expect(saved).toMatchObject({ name: "Production", weight: 3 });

  // Within 10 minutes of the code, the next dangerous change does not ask again.
  await fillUpstreamKey(page, owner, "Backup", fakeKey());
  await expect(page.getByText(/Saved Backup \(sk-/)).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("cancelling the step-up changes nothing; a password works as well as a code", async ({ page, seed, signIn }) => {
  const owner = await seed.user();
  const member = await seed.user({ name: "Rita Role" });
  await seed.addMember(owner.team, member, "member");
  await signIn(page, owner);
  await expireStepUp(owner);

  await fillUpstreamKey(page, owner, "Cancelled", fakeKey());
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  // What was typed is still there (but the key, which never comes back from the server).
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Cancelled");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Confirm it is you");
  expect(await db().upstreamKey.count({ where: { teamId: owner.team.id } })).toBe(0);

  // Changing a role is dangerous too; the password confirms it.
  await page.goto(`/t/${owner.team.slug}/members`);
  await page.getByLabel("Role of Rita Role").selectOption("admin");
  await page
    .getByRole("row", { name: /Rita Role/ })
    .getByRole("button", { name: "Save", exact: true })
    .click();
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Password or authenticator code").fill(owner.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
  await expect
    .poll(
      async () =>
        (await db().membership.findFirstOrThrow({ where: { teamId: owner.team.id, userId: member.id } })).role,
    )
    .toBe("admin");
});
