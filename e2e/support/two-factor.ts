// Helpers for the 2FA specs: set-up through the page as a person does it, codes that respect replay
// protection, and the sign-in steps.
import { expect, type Page, type TestInfo } from "@playwright/test";
import { generate } from "otplib";

const STEP_SECONDS = 30;

export type Enrolled = { secret: string; codes: string[]; lastStep: number };

export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** A code for a step after `lastStep`: the app refuses a step it has accepted once (replay) and takes one step
 * either side of now, so the next step's code is good at once, without waiting for the clock to move on. */
export async function nextCode(enrolled: Enrolled): Promise<string> {
  const step = Math.max(enrolled.lastStep + 1, Math.floor(Date.now() / 1000 / STEP_SECONDS));
  enrolled.lastStep = step;
  return generate({ secret: enrolled.secret, epoch: step * STEP_SECONDS });
}

export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `page scrolls sideways on ${page.url()}`).toBeLessThanOrEqual(clientWidth);
}

/** Sets up 2FA on /account/security as a person does: password, the setup key into the "app", its code. */
export async function enrol(page: Page, password: string, testInfo?: TestInfo): Promise<Enrolled> {
  await page.goto("/account/security");
  await expect(page.locator("p").filter({ hasText: "Status:" })).toHaveText("Status: Off");
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  if (testInfo) await screenshot(page, testInfo, "enrolment-qr");

  const epoch = Math.floor(Date.now() / 1000);
  await page.getByLabel("Authentication code").fill(await generate({ secret, epoch }));
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();

  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const codes = (await list.getByRole("listitem").allInnerTexts()).map((code) => code.trim());
  for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  return { secret, codes, lastStep: Math.floor(epoch / STEP_SECONDS) };
}

export async function signOutThroughMenu(page: Page): Promise<void> {
  await page.getByLabel(/Account menu/).click();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** The page's own alert (Next's route announcer, outside <main>, is a role="alert" too). */
export const alertOf = (page: Page) => page.getByRole("main").getByRole("alert");

export async function passwordStep(page: Page, user: { email: string; password: string }, path = "/sign-in") {
  await page.goto(path);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
