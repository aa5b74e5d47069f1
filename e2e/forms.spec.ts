// Forms forgive: a value the browser accepts but the server refuses comes back with every field still
// holding what was typed (never a password), and one message, under the field's label, in an alert that
// screen readers announce, tied to the field by aria-invalid and aria-describedby.
import type { Locator, Page } from "@playwright/test";
import { DEFAULT_TEAM_POLICY } from "../lib/keys/policy";
import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/axe";
import { SAME_ORIGIN } from "./support/same-origin";

async function expectRefusal(page: Page, field: Locator, message: string, internalName?: string) {
  const alert = page.getByRole("alert").filter({ hasText: message });
  await expect(alert).toHaveCount(1);
  await expect(page.getByText(message)).toHaveCount(1); // shown once, not again as a form error
  if (internalName) await expect(page.getByText(internalName)).toHaveCount(0);
  await expect(field).toHaveAttribute("aria-invalid", "true");
  const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
  expect(describedBy.split(" ")).toContain(await alert.getAttribute("id"));
  await expect(field).toBeFocused();
  await expectAccessible(page);
}

test("sign-up: a password the server finds too common keeps the name, e-mail and team name", async ({ page }) => {
  const email = `common-${Date.now().toString(36)}@example.test`;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Cleo Common");
  await page.getByLabel("Work e-mail").fill(email);
  await page.getByLabel("Password").fill("password1234"); // 12 characters: the minLength the browser knows
  await page.getByLabel("Team name").fill("Common Ground");
  await page.getByRole("button", { name: "Create account" }).click();

  await expectRefusal(page, page.getByLabel("Password"), "Password: This password is too common.");
  await expect(page.getByLabel("Your name")).toHaveValue("Cleo Common");
  await expect(page.getByLabel("Work e-mail")).toHaveValue(email);
  await expect(page.getByLabel("Team name")).toHaveValue("Common Ground");
  await expect(page.getByLabel("Password")).toHaveValue("");
  await page.screenshot({ path: "test-results/screenshots/form-error-sign-up.png", fullPage: true });
});

test("new key: an expiry in the past keeps every scope typed, and names the field by its label", async ({
  page,
  seed,
  signIn,
}) => {
  const owner = await seed.user();
  await signIn(page, owner);
  await page.goto(`/t/${owner.team.slug}/keys/new`);
  const typed: [string, string][] = [
    ["Key name", "Notebook"],
    ["Models (optional)", "gpt-4o-mini"],
    ["IP allow-list (optional)", "203.0.113.0/24"],
    ["Requests per minute (optional)", "10"],
    ["Tokens per minute (optional)", "5000"],
    ["Budget in USD (optional)", "5"],
    ["Expires on (optional)", "2020-01-31"],
  ];
  for (const [label, value] of typed) await page.getByLabel(label).fill(value);
  await page.getByLabel("Chat completions").selectOption("read");
  await page.getByLabel("Embeddings").selectOption("write");
  await page.getByLabel("Per", { exact: true }).selectOption("week");
  await page.getByRole("button", { name: "Create key" }).click();

  await expectRefusal(
    page,
    page.getByLabel("Expires on (optional)"),
    "Expires on: the expiry must be in the future.",
    "expiresAt",
  );
  for (const [label, value] of typed) await expect(page.getByLabel(label), label).toHaveValue(value);
  await expect(page.getByLabel("Chat completions")).toHaveValue("read");
  await expect(page.getByLabel("Embeddings")).toHaveValue("write");
  await expect(page.getByLabel("Per", { exact: true })).toHaveValue("week");
  await page.screenshot({ path: "test-results/screenshots/form-error-new-key.png", fullPage: true });
});

test("edit key: a limit above the team policy keeps the new name and every scope", async ({ page, seed, signIn }) => {
  const { db } = await import("../lib/db/client");
  const owner = await seed.user();
  await db().team.update({
    where: { id: owner.team.id },
    data: { keyPolicy: { ...DEFAULT_TEAM_POLICY, limits: { rpm: 60 } } },
  });
  await signIn(page, owner);
  const created = await page.request.post(`/api/teams/${owner.team.slug}/keys`, {
    headers: SAME_ORIGIN,
    data: { name: "Script", scopes: { endpoints: { chat: "write" } } },
  });
  expect(created.status()).toBe(201);
  const { data } = (await created.json()) as { data: { id: string } };
  await page.goto(`/t/${owner.team.slug}/keys/${data.id}`);
  await page.getByLabel("Key name").fill("Nightly script");
  await page.getByLabel("Chat completions").selectOption("read");
  await page.getByLabel("Models (optional)").fill("gpt-4o-mini");
  await page.getByLabel("Requests per minute (optional)").fill("100");
  await page.getByRole("button", { name: "Save scopes" }).click();

  await expectRefusal(
    page,
    page.getByLabel("Requests per minute (optional)"),
    "Requests per minute: 100 exceeds the team policy (60).",
    "limits.rpm",
  );
  await expect(page.getByLabel("Key name")).toHaveValue("Nightly script");
  await expect(page.getByLabel("Chat completions")).toHaveValue("read");
  await expect(page.getByLabel("Models (optional)")).toHaveValue("gpt-4o-mini");
  await expect(page.getByLabel("Requests per minute (optional)")).toHaveValue("100");
});

test("invite: an address the browser accepts but the server does not keeps the address and the role", async ({
  page,
  seed,
  signIn,
}) => {
  const owner = await seed.user();
  await signIn(page, owner);
  await page.goto(`/t/${owner.team.slug}/members`);
  await page.getByLabel("E-mail address").fill("ann@intranet"); // valid for type="email", not for us
  await page.getByLabel("Role", { exact: true }).selectOption("admin");
  await page.getByRole("button", { name: "Send invitation" }).click();

  await expectRefusal(page, page.getByLabel("E-mail address"), "E-mail address: Enter a valid e-mail address.");
  await expect(page.getByLabel("E-mail address")).toHaveValue("ann@intranet");
  await expect(page.getByLabel("Role", { exact: true })).toHaveValue("admin");
});

test("team key policy: a malformed range keeps every limit typed", async ({ page, seed, signIn }) => {
  const owner = await seed.user();
  await signIn(page, owner);
  await page.goto(`/t/${owner.team.slug}/keys/settings`);
  await page.getByLabel("Chat completions").selectOption("read");
  await page.getByLabel("Models keys may use (optional)").fill("gpt-4o-mini");
  await page.getByLabel("Requests per minute (optional)").fill("100");
  await page.getByLabel("Longest key lifetime in days (optional)").fill("30");
  await page.getByLabel("IP allow-list (optional)").fill("10.0.0.0/33");
  await page.getByRole("button", { name: "Save policy" }).click();

  await expectRefusal(
    page,
    page.getByLabel("IP allow-list (optional)"),
    'IP allow-list: "10.0.0.0/33" is not a valid IPv4 or IPv6 CIDR.',
    "ipAllowList",
  );
  await expect(page.getByLabel("Chat completions")).toHaveValue("read");
  await expect(page.getByLabel("Models keys may use (optional)")).toHaveValue("gpt-4o-mini");
  await expect(page.getByLabel("Requests per minute (optional)")).toHaveValue("100");
  await expect(page.getByLabel("Longest key lifetime in days (optional)")).toHaveValue("30");
  await expect(page.getByLabel("IP allow-list (optional)")).toHaveValue("10.0.0.0/33");
});
