// Two-factor authentication through the pages, in a real Chromium: set-up (QR code, setup key, recovery codes),
// signing in with an app code and with a recovery code, the sign-in activity and sessions on the Security page
// (ending another browser's session), the new-device e-mail, and the e-mailed unlock link.
import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import {
  alertOf,
  enrol,
  expectNoSidewaysScroll,
  nextCode,
  passwordStep,
  screenshot,
  signOutThroughMenu,
} from "./support/two-factor";

const { db } = await import("../lib/db/client");

test("set up 2FA with the setup key, keep the recovery codes, then sign in with password and app code", async ({
  page,
  seed,
  signIn,
}, testInfo) => {
  const user = await seed.user();
  await signIn(page, user);
  const enrolled = await enrol(page, user.password, testInfo);

  // The codes as a text file, and gone from the page once saved.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download as a text file" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("keyward-recovery-codes.txt");
  const file = await readFile((await download.path()) ?? "", "utf8");
  for (const code of enrolled.codes) expect(file).toContain(code);
  expect(file).toContain(user.email);
  await screenshot(page, testInfo, "recovery-codes");
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" })).toHaveCount(0);
  await expect(page.getByText("10 of 10 recovery codes left")).toBeVisible();
  await expect(page.locator("p").filter({ hasText: "Status:" })).toHaveText("Status: On");

  await signOutThroughMenu(page);
  // Straight to a deep page: the code step keeps where the user was going.
  await passwordStep(page, user, "/sign-in?next=%2Faccount%2Fsecurity");
  await expect(page).toHaveURL(/\/sign-in\/verify\?next=%2Faccount%2Fsecurity$/);
  await expect(page.getByRole("heading", { level: 1, name: "Two-factor authentication" })).toBeVisible();
  // Half signed in, every page sends the browser back to the code.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in\/verify$/);
  await page.goto("/sign-in/verify?next=%2Faccount%2Fsecurity");

  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(alertOf(page)).toHaveText(/That code didn't work/);
  await screenshot(page, testInfo, "challenge");

  await page.getByLabel("Authentication code").fill(await nextCode(enrolled));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/account\/security$/);
  await expect(page.getByRole("heading", { level: 1, name: "Security" })).toBeVisible();
  const activity = page.getByRole("table", { name: "Recent sign-in activity" });
  await expect(activity.getByText("Signed in with an authenticator code").first()).toBeVisible();
  await expect(activity.getByText("Wrong code").first()).toBeVisible();
  await expect(activity.getByText("Two-factor authentication turned on")).toBeVisible();
  await screenshot(page, testInfo, "security-on");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, "security-390");
});

test("a recovery code signs in once, and the Security page shows one fewer left", async ({
  page,
  seed,
  signIn,
}, testInfo) => {
  const user = await seed.user();
  await signIn(page, user);
  const enrolled = await enrol(page, user.password);
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByText("10 of 10 recovery codes left")).toBeVisible();
  await signOutThroughMenu(page);

  // The rest on a phone's width.
  await page.setViewportSize({ width: 390, height: 844 });
  await passwordStep(page, user);
  await expect(page).toHaveURL(/\/sign-in\/verify$/);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, "challenge-recovery-390");
  // Typed as read off paper: upper case, spaces for dashes.
  await page.getByLabel("Recovery code").fill(enrolled.codes[0]!.toUpperCase().replace(/-/g, " "));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/account\/security\?signedInWith=recovery-code$/);
  await expect(page.getByRole("status").filter({ hasText: "You signed in with a recovery code" })).toContainText(
    "9 recovery codes left.",
  );
  await expect(page.getByText("9 of 10 recovery codes left")).toBeVisible();
  await expect(
    page.getByRole("table", { name: "Recent sign-in activity" }).getByText("Recovery code used (9 left)"),
  ).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, "after-recovery-code-390");

  // New codes (the password and a recovery code): the old set stops working, ten fresh ones are shown once.
  await page.locator("summary").filter({ hasText: "Generate new recovery codes" }).click();
  await page.locator("#regenerate-password").fill(user.password);
  await page.locator("#regenerate-code").fill(enrolled.codes[1]!);
  await page.getByRole("button", { name: "Generate new codes" }).click();
  const fresh = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(fresh).toHaveCount(10);
  const freshCodes = (await fresh.allInnerTexts()).map((code) => code.trim());
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByText("10 of 10 recovery codes left")).toBeVisible();

  // The same code a second time is refused, with the same words as any wrong code.
  await signOutThroughMenu(page);
  await passwordStep(page, user);
  await expect(page).toHaveURL(/\/sign-in\/verify$/);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(enrolled.codes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(alertOf(page)).toHaveText(/That code didn't work/);
  // So is an unused code of the set that was replaced (the message is already shown: wait for the answer).
  await page.getByLabel("Recovery code").fill(enrolled.codes[2]!);
  const answered = page.waitForResponse((response) => response.url().includes("/api/auth/callback/second-factor"));
  await page.getByRole("button", { name: "Verify" }).click();
  expect((await (await answered).json()) as { url: string }).toHaveProperty("url", expect.stringContaining("error="));
  await expect(alertOf(page)).toHaveText(/That code didn't work/);
  await expect(page).toHaveURL(/\/sign-in\/verify$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/sign-in/verify");
  await expect(page).toHaveURL(/\/sign-in$/);

  // Signed in with one of the new codes, 2FA is turned off with the password and another.
  await passwordStep(page, user);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(freshCodes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("9 of 10 recovery codes left")).toBeVisible();
  await page.locator("summary").filter({ hasText: "Turn off two-factor authentication" }).click();
  await page.locator("#disable-password").fill(user.password);
  await page.locator("#disable-code").fill(freshCodes[1]!);
  await page.getByRole("button", { name: "Turn off two-factor authentication" }).click();
  await expect(page.locator("p").filter({ hasText: "Status:" })).toHaveText("Status: Off");
  await expect(
    page.getByRole("table", { name: "Recent sign-in activity" }).getByText("Two-factor authentication turned off"),
  ).toBeVisible();
  await signOutThroughMenu(page);
  await passwordStep(page, user);
  await expect(page.getByRole("heading", { level: 1, name: user.team.name })).toBeVisible();
});

test("the Security page lists the sign-ins and ends another browser's session", async ({
  page,
  browser,
  seed,
  signIn,
}) => {
  const user = await seed.user();
  await signIn(page, user);
  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  await signIn(phonePage, user);
  await phonePage.goto("/account/security");
  await expect(phonePage.getByRole("heading", { level: 1, name: "Security" })).toBeVisible();

  await page.goto("/account/security");
  const activity = page.getByRole("table", { name: "Recent sign-in activity" });
  await expect(activity.getByRole("row").filter({ hasText: "Signed in" })).toHaveCount(2);
  await expect(activity.getByRole("row").filter({ hasText: "Signed in" }).first()).toContainText("127.0.0.1");

  const sessions = page.getByRole("table", { name: "Active sessions" });
  await expect(sessions.getByRole("row")).toHaveCount(3); // the header row, and two sessions
  const mine = sessions.getByRole("row").filter({ hasText: "This device" });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByRole("button", { name: /End session/ })).toHaveCount(0);
  const other = sessions.getByRole("row").filter({ has: page.getByRole("button", { name: /End session/ }) });
  await other.getByRole("button", { name: /End session/ }).click();
  await expect(sessions.getByRole("row")).toHaveCount(2);
  await expect(activity.getByText("Session ended")).toBeVisible();

  await phonePage.reload();
  await expect(phonePage).toHaveURL(/\/sign-in/);
  // This browser is still signed in.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Security" })).toBeVisible();
  await phone.close();

  // Sent here by a team that requires 2FA: the page says which.
  await page.goto(`/account/security?required=${user.team.slug}`);
  await expect(page.getByRole("status").filter({ hasText: "requires two-factor authentication" })).toContainText(
    `The team ${user.team.name} requires two-factor authentication.`,
  );
  // Not for a team the user is not in: nothing about it is shown.
  await page.goto("/account/security?required=someone-elses-team");
  await expect(page.getByText("requires two-factor authentication")).toHaveCount(0);
});

test("a sign-in from a new browser e-mails the account's owner", async ({ page, browser, seed, signIn, mailbox }) => {
  const user = await seed.user();
  await signIn(page, user); // the account's first sign-in: no news to anyone
  const stranger = await browser.newContext({
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  });
  const strangerPage = await stranger.newPage();
  await passwordStep(strangerPage, user);
  await expect(strangerPage.getByRole("heading", { level: 1, name: user.team.name })).toBeVisible();

  const mail = await mailbox.waitFor(user.email, /New sign-in to your Keyward account/);
  expect(mail.text).toContain("Device: Firefox 133 on Windows");
  expect(mail.text).toContain("/account/security");
  expect(mail.text).not.toContain(user.password);
  await stranger.close();
});

test("a locked account is unlocked by the e-mailed link, which works once", async ({
  page,
  seed,
  mailbox,
}, testInfo) => {
  const user = await seed.user();
  // 100 failures through the sign-in would take minutes of throttling; the lock itself is one column.
  await db().user.update({ where: { id: user.id }, data: { lockedAt: new Date(), failedSignIns: 100 } });

  // Locked, even the right password gets the ordinary refusal, and its owner a fresh unlock link.
  await passwordStep(page, user);
  await expect(alertOf(page)).toHaveText("That e-mail and password don't match an account.");
  const mail = await mailbox.waitFor(user.email, /Your Keyward account is locked/);
  const link = /https?:\/\/\S+\/unlock\?token=[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
  expect(link, mail.text).toBeTruthy();

  await page.goto(link!);
  await expect(page.getByRole("heading", { level: 1, name: "Unlock your account" })).toBeVisible();
  await screenshot(page, testInfo, "unlock");
  await page.getByRole("button", { name: "Unlock my account" }).click();
  await expect(page.getByRole("status")).toContainText("Your account is unlocked.");
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: user.team.name })).toBeVisible();

  // The link again, in a browser that is signed out: used up.
  await page.context().clearCookies();
  await page.goto(link!);
  await page.getByRole("button", { name: "Unlock my account" }).click();
  await expect(alertOf(page)).toHaveText("This unlock link is not valid any more. Sign in to get a new one.");
  // A link that was never sent.
  await page.goto("/unlock?token=not-a-token");
  await expect(alertOf(page)).toHaveText("This unlock link is not valid any more. Sign in to get a new one.");
});
