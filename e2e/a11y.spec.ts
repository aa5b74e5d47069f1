// Every page of the app, signed out and as a team's owner with some data on each, passes axe-core with no
// serious or critical violation. (Every other spec checks the pages it visits too: fixtures.ts.)
import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";
import { expectAccessible } from "./support/axe";
import { SAME_ORIGIN } from "./support/same-origin";

test("the public pages have no serious or critical accessibility violations", async ({ page }) => {
  for (const path of ["/", "/sign-in", "/sign-up", "/invite", "/unlock", "/no-such-page"]) {
    await page.goto(path);
    await expect(page.locator("main")).toBeVisible();
    await expectAccessible(page);
  }
});

test("every page a team owner sees has no serious or critical accessibility violations", async ({
  page,
  seed,
  signIn,
}) => {
  const owner = await seed.user({ name: "Olga Owner" });
  const member = await seed.user({ name: "Max Member" });
  await seed.addMember(owner.team, member, "member");
  await signIn(page, owner);
  const team = `/t/${owner.team.slug}`;
  const created = await page.request.post(`/api/teams/${owner.team.slug}/keys`, {
    headers: SAME_ORIGIN,
    data: { name: "Notebook", scopes: { endpoints: { chat: "write" }, limits: { rpm: 10 } } },
  });
  expect(created.status()).toBe(201);
  const { data: key } = (await created.json()) as { data: { id: string } };
  const upstream = await page.request.post(`/api/teams/${owner.team.slug}/upstream-keys`, {
    headers: SAME_ORIGIN,
    data: { name: "Main", key: `sk-proj-a11y${randomBytes(24).toString("hex")}` },
  });
  expect(upstream.status()).toBe(201);
  await page.goto(`${team}/members`);
  await page.getByLabel("E-mail address").fill(`invitee-${randomBytes(3).toString("hex")}@example.test`);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(/Invitation sent|copy this link/)).toBeVisible(); // a pending invite is listed
  await expectAccessible(page);
  const signIns =
    (await page.getByRole("link", { name: `Sign-ins of ${member.name}` }).getAttribute("href")) ?? "(no link)";

  const pages = [
    "/dashboard",
    "/account",
    "/account/security",
    "/teams/new",
    team,
    `${team}/keys`,
    `${team}/keys/new`,
    `${team}/keys/${key.id}`,
    `${team}/keys/settings`,
    `${team}/members`,
    signIns,
    `${team}/upstream-keys`,
  ];
  for (const path of pages) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("main"), path).toBeVisible();
    await expectAccessible(page);
  }
  // The disclosures' contents too: the team switcher and the account menu, opened.
  await page.goto(team);
  await page.locator("summary").filter({ hasText: "Switch team:" }).click();
  await page.getByLabel(/Account menu/).click();
  await expectAccessible(page);
});
