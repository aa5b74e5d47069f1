import { expect, PASSWORD, test, uniqueEmail } from "./fixtures";

test("sign up lands on the new team's dashboard; sign out and back in", async ({ page }) => {
  const email = uniqueEmail("founder");
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Ada Founder");
  await page.getByLabel("Work e-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Team name").fill("Analytical Engines");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/t\/analytical-engines(-[0-9a-f]+)?$/);
  await expect(page.getByRole("heading", { level: 1, name: "Analytical Engines" })).toBeVisible();
  await expect(page.getByText("Your role")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/team-overview.png", fullPage: true });

  await page.getByLabel("Account menu").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Analytical Engines" })).toBeVisible();
});

test("sign-up refuses a weak password with a clear message and creates nothing", async ({ page }) => {
  const email = uniqueEmail("weak");
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Weak Password");
  await page.getByLabel("Work e-mail").fill(email);
  await page.getByLabel("Password").fill("password1234");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("This password is too common.")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
});

test("sign-up with a taken e-mail signs nobody in, creates nothing, and e-mails the owner", async ({
  page,
  seed,
  mailbox,
}) => {
  const owner = await seed.user();
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Eve Intruder");
  await page.getByLabel("Work e-mail").fill(owner.email);
  await page.getByLabel("Password").fill("another long passphrase 77");
  await page.getByLabel("Team name").fill("Hijack");
  await page.getByRole("button", { name: "Create account" }).click();
  // What the page says depends on nothing the server knows about the address: sign-in with the typed
  // password failed, so it says what is true either way.
  await expect(page.getByRole("status")).toContainText(`If ${owner.email} already has an account`);
  await expect(page).toHaveURL(/\/sign-up$/);
  await page.screenshot({ path: "test-results/screenshots/sign-up-taken.png" });
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);

  const mail = await mailbox.waitFor(owner.email, /Someone tried to sign up with your address/);
  expect(mail.text).toContain("nothing");
  const { db } = await import("../lib/db/client");
  expect(await db().team.count({ where: { name: "Hijack" } })).toBe(0);
});

test("a wrong password and an unknown e-mail get the same generic error", async ({ page, seed }) => {
  const user = await seed.user();
  const messages: string[] = [];
  for (const [email, password] of [
    [user.email, "not the right password"],
    [uniqueEmail("nobody"), "not the right password"],
  ] as const) {
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.locator("form").getByRole("alert");
    await expect(alert).toBeVisible();
    messages.push((await alert.textContent()) ?? "");
  }
  expect(messages[0]).toBe("That e-mail and password don't match an account.");
  expect(messages[1]).toBe(messages[0]);
  await page.screenshot({ path: "test-results/screenshots/sign-in-error.png" });
});

test("changing the password ends the other sessions at once; sign out everywhere ends all", async ({
  browser,
  seed,
  signIn,
}) => {
  const user = await seed.user();
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const laptopPage = await laptop.newPage();
  const phonePage = await phone.newPage();
  await signIn(laptopPage, user);
  await signIn(phonePage, user);
  await phonePage.goto("/account");
  await expect(phonePage.getByRole("heading", { name: "Account and security" })).toBeVisible();

  await laptopPage.goto("/account");
  await laptopPage.getByLabel("Current password").fill(user.password);
  await laptopPage.getByLabel("New password").fill("a different long passphrase");
  await laptopPage.getByRole("button", { name: "Change password" }).click();
  await expect(laptopPage.getByText("Password changed.")).toBeVisible();
  await expect(laptopPage.getByText("Signed out 1 other session(s).")).toBeVisible();

  await phonePage.reload();
  await expect(phonePage).toHaveURL(/\/sign-in/);
  await laptopPage.reload();
  await expect(laptopPage.getByRole("heading", { name: "Account and security" })).toBeVisible();
  await laptopPage.screenshot({ path: "test-results/screenshots/account.png", fullPage: true });

  await laptopPage.goto("/account/security");
  laptopPage.once("dialog", (dialog) => void dialog.accept());
  await laptopPage.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(laptopPage).toHaveURL(/\/sign-in\?signedOut=everywhere/);
  await laptopPage.goto("/account");
  await expect(laptopPage).toHaveURL(/\/sign-in/);
  await laptop.close();
  await phone.close();
});
