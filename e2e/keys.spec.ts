// Member API keys in the browser: create one with narrow scopes, see it once, then only its prefix; revoke
// it; an admin revokes a member's key.
import { expect, test } from "./fixtures";
import { SAME_ORIGIN } from "./support/same-origin";

test("a member creates a narrowly scoped key, sees it once, then only its prefix, and revokes it", async ({
  page,
  seed,
  signIn,
}) => {
  const owner = await seed.user();
  const member = await seed.user({ name: "Mo Member" });
  await seed.addMember(owner.team, member, "member");
  await signIn(page, member);
  await page.goto(`/t/${owner.team.slug}`);
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByText("No keys yet.")).toBeVisible();
  await page.getByRole("link", { name: "Create a key" }).click();

  await page.getByLabel("Key name").fill("Notebook");
  await page.getByLabel("Chat completions").selectOption("write");
  await page.getByLabel("Models", { exact: true }).selectOption("none");
  await page.getByLabel("Models (optional)").fill("gpt-4o-mini");
  await page.getByLabel("Requests per minute (optional)").fill("10");
  await page.getByLabel("Budget in USD (optional)").fill("5");
  await page.getByLabel("Per", { exact: true }).selectOption("month");
  await page.getByLabel("IP allow-list (optional)").fill("203.0.113.0/24");
  await page.screenshot({ path: "test-results/screenshots/new-key.png", fullPage: true });
  await page.getByRole("button", { name: "Create key" }).click();

  const shown = page.getByLabel("Your new API key");
  await expect(shown).toBeVisible();
  const key = await shown.inputValue();
  expect(key).toMatch(/^kw_live_[A-Za-z0-9]{38}$/);
  await expect(page.getByText("It is shown only this once")).toBeVisible();
  await expect(page.getByText(`Bearer ${key}`)).toBeVisible(); // the curl snippet
  await page.screenshot({ path: "test-results/screenshots/key-created.png", fullPage: true });

  await page.getByRole("link", { name: "Done — back to the keys" }).click();
  const row = page.getByRole("row").filter({ hasText: "Notebook" });
  await expect(row).toContainText(`${key.slice(0, 12)}…`);
  await expect(row).toContainText("chat: write");
  await expect(row).toContainText("gpt-4o-mini");
  await expect(row).toContainText("10 rpm");
  await expect(row).toContainText("$5/month");
  expect(await page.content()).not.toContain(key);
  await page.reload();
  expect(await page.content()).not.toContain(key);
  const listed = await page.request.get(`/api/teams/${owner.team.slug}/keys`);
  expect(await listed.text()).not.toContain(key);
  await page.screenshot({ path: "test-results/screenshots/keys.png", fullPage: true });

  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Revoke Notebook" }).click();
  await expect(page.getByText("No keys yet.")).toBeVisible();
  await page.getByRole("link", { name: "Show revoked" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Notebook" })).toContainText("revoked");
});

test("an admin sees every member's keys and revokes one; members see only their own", async ({
  browser,
  page,
  seed,
  signIn,
}) => {
  const owner = await seed.user();
  const admin = await seed.user({ name: "Ada Admin" });
  const member = await seed.user({ name: "Mel Member" });
  const other = await seed.user({ name: "Otto Other" });
  await seed.addMember(owner.team, admin, "admin");
  await seed.addMember(owner.team, member, "member");
  await seed.addMember(owner.team, other, "member");

  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await signIn(memberPage, member);
  const created = await memberPage.request.post(`/api/teams/${owner.team.slug}/keys`, {
    headers: SAME_ORIGIN,
    data: { name: "Mel's script", scopes: { endpoints: { chat: "write" } } },
  });
  expect(created.status()).toBe(201);
  const { data } = (await created.json()) as { data: { id: string; key: string } };

  // Another member neither sees nor reaches it.
  const otherContext = await browser.newContext();
  const otherPage = await otherContext.newPage();
  await signIn(otherPage, other);
  await otherPage.goto(`/t/${owner.team.slug}/keys`);
  await expect(otherPage.getByText("No keys yet.")).toBeVisible();
  expect((await otherPage.request.get(`/api/teams/${owner.team.slug}/keys/${data.id}`)).status()).toBe(404);
  expect(
    (
      await otherPage.request.delete(`/api/teams/${owner.team.slug}/keys/${data.id}`, { headers: SAME_ORIGIN })
    ).status(),
  ).toBe(404);

  await signIn(page, admin);
  await page.goto(`/t/${owner.team.slug}/keys`);
  const row = page.getByRole("row").filter({ hasText: "Mel's script" });
  await expect(row).toContainText("Mel Member");
  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Revoke Mel's script" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Mel's script" })).toHaveCount(0);

  const seen = await memberPage.request.get(`/api/teams/${owner.team.slug}/keys/${data.id}`);
  expect(((await seen.json()) as { data: { status: string } }).data.status).toBe("revoked");
  await page.goto(`/t/${owner.team.slug}`);
  await expect(page.getByText(`${admin.email} revoked the key`)).toBeVisible();
  await memberContext.close();
  await otherContext.close();
});

test("a demoted member's key page says what the key can do now, and which ceiling narrowed it", async ({
  page,
  seed,
  signIn,
}) => {
  const { issueKey } = await import("../lib/keys/store");
  const { db } = await import("../lib/db/client");
  const owner = await seed.user();
  const member = await seed.user({ name: "Vi Viewer" });
  await seed.addMember(owner.team, member, "member");
  await issueKey(
    {
      teamId: owner.team.id,
      holderId: member.id,
      createdById: member.id,
      actor: { type: "system", label: "e2e" },
      request: { ip: null, userAgent: "e2e" },
    },
    { name: "Writer", scopes: { endpoints: { chat: "write", models: "read" } } },
  );
  await db().membership.updateMany({ where: { teamId: owner.team.id, userId: member.id }, data: { role: "viewer" } });

  await signIn(page, member);
  await page.goto(`/t/${owner.team.slug}/keys`);
  await expect(page.getByText("narrowed")).toBeVisible();
  await page.getByRole("link", { name: "Writer" }).click();
  await expect(page.getByRole("heading", { name: "What this key can do now" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Narrowed by" })).toContainText(
    "chat: write → read (the holder is a viewer)",
  );
  await page.screenshot({ path: "test-results/screenshots/key-narrowed.png", fullPage: true });
});

test("an owner issues a management key with one grant; it does that and nothing more", async ({
  page,
  seed,
  signIn,
  baseURL,
}) => {
  const owner = await seed.user();
  await signIn(page, owner);
  await page.goto(`/t/${owner.team.slug}/keys/settings`);
  await page.getByLabel("Name", { exact: true }).fill("Policy bot");
  await page.getByLabel("Set the key policy").check();
  await page.getByRole("button", { name: "Create management key" }).click();
  const shown = page.getByRole("status").locator("code", { hasText: /kw_mgmt_/ });
  await expect(shown).toBeVisible();
  const key = /kw_mgmt_[A-Za-z0-9_]+/.exec((await shown.textContent()) ?? "")?.[0] ?? "";
  const call = (path: string) =>
    fetch(`${baseURL}/api/teams/${owner.team.slug}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect((await call("/policy")).status).toBe(200);
  expect((await call("/members")).status).toBe(403);
});
