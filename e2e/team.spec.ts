import { expect, PASSWORD, test, uniqueEmail } from "./fixtures";
import { callFormAction } from "./support/server-action";

test("an admin invites by e-mail; the invitee accepts in another browser and joins as member", async ({
  browser,
  page,
  seed,
  signIn,
  mailbox,
}) => {
  const owner = await seed.user({ name: "Olive Owner" });
  await signIn(page, owner);
  await page.goto(`/t/${owner.team.slug}/members`);
  const invitee = uniqueEmail("mia");
  await page.getByLabel("E-mail address").fill(invitee);
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${invitee}.`)).toBeVisible();
  await expect(page.getByText(invitee).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/members.png", fullPage: true });

  const mail = await mailbox.waitFor(invitee, new RegExp(owner.team.name));
  const link = /https?:\/\/\S+\/invite#[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
  expect(link, "the e-mail carries an invite link").toBeTruthy();

  const other = await browser.newContext();
  const guest = await other.newPage();
  await guest.goto(link ?? "");
  await expect(guest.getByRole("heading", { name: `Join ${owner.team.name}` })).toBeVisible();
  await guest.getByRole("link", { name: `Create an account as ${invitee}` }).click();
  await guest.getByLabel("Your name").fill("Mia Member");
  await expect(guest.getByLabel("Work e-mail")).toHaveValue(invitee);
  await guest.getByLabel("Password").fill(PASSWORD);
  await guest.getByRole("button", { name: "Create account" }).click();
  // Signing up from the invitation joins the team at once: no second step, and no team of the invitee's own.
  await expect(guest).toHaveURL(new RegExp(`/t/${owner.team.slug}$`));
  await expect(guest.getByRole("heading", { level: 1, name: owner.team.name })).toBeVisible();
  await guest.goto(`/t/${owner.team.slug}/members`);
  const row = guest.getByRole("row").filter({ hasText: "Mia Member" });
  await expect(row).toContainText("Member");
  // A member sees no role controls…
  await expect(guest.getByRole("button", { name: "Save" })).toHaveCount(0);

  const { db } = await import("../lib/db/client");
  const teams = await db().membership.findMany({ where: { user: { email: invitee } }, select: { teamId: true } });
  expect(teams).toEqual([{ teamId: owner.team.id }]);

  // …and the link is single-use.
  await guest.goto(link ?? "");
  await expect(guest.getByText("This invitation has already been used.")).toBeVisible();
  await other.close();
});

test("a member cannot change roles: the server refuses, not only the UI", async ({ page, seed, signIn }) => {
  const owner = await seed.user();
  const member = await seed.user();
  await seed.addMember(owner.team, member, "member");
  await signIn(page, member);
  await page.goto(`/t/${owner.team.slug}/members`);
  const ownerMembershipId = await memberId(owner.team.id, owner.id);

  const result = await callFormAction(
    page.request,
    `/t/${owner.team.slug}/members`,
    { file: "lib/actions/change-member-role.ts", name: "changeMemberRoleAction" },
    {
      teamSlug: owner.team.slug,
      membershipId: await memberId(owner.team.id, member.id),
      role: "admin",
    },
  );
  expect(result.body).toContain("Your role does not allow this.");
  const removal = await callFormAction(
    page.request,
    `/t/${owner.team.slug}/members`,
    { file: "lib/actions/remove-member.ts", name: "removeMemberAction" },
    {
      teamSlug: owner.team.slug,
      membershipId: ownerMembershipId,
    },
  );
  expect(removal.body).toContain("Your role does not allow this.");
  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: member.name })).toContainText("Member");
  await expect(page.getByRole("row").filter({ hasText: owner.name })).toContainText("Owner");
});

test("a user of team B gets 404 on team A's pages, route handlers and server actions", async ({
  page,
  seed,
  signIn,
}) => {
  const alice = await seed.user();
  const bob = await seed.user();
  await signIn(page, bob);

  for (const path of [`/t/${alice.team.slug}`, `/t/${alice.team.slug}/members`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
  // A team that does not exist looks exactly the same.
  expect((await page.goto("/t/no-such-team-anywhere"))?.status()).toBe(404);

  const api = await page.request.get(`/api/teams/${alice.team.slug}/members`);
  expect(api.status()).toBe(404);
  expect(await api.json()).toEqual({ error: { code: "not_found", message: "Not found." } });
  expect((await page.request.get(`/api/teams/${bob.team.slug}/members`)).status()).toBe(200);

  const invite = await callFormAction(
    page.request,
    `/t/${bob.team.slug}/members`,
    { file: "lib/actions/invite-member.ts", name: "inviteMemberAction" },
    {
      teamSlug: alice.team.slug,
      email: uniqueEmail("intruder"),
      role: "admin",
    },
  );
  expect(invite.body).toContain("Not found.");
  const aliceMembership = await memberId(alice.team.id, alice.id);
  const removal = await callFormAction(
    page.request,
    `/t/${bob.team.slug}/members`,
    { file: "lib/actions/remove-member.ts", name: "removeMemberAction" },
    {
      teamSlug: bob.team.slug,
      membershipId: aliceMembership,
    },
  );
  expect(removal.body).toContain("Not found.");
  expect(await memberId(alice.team.id, alice.id)).toBe(aliceMembership);
});

async function memberId(teamId: string, userId: string): Promise<string> {
  const { db } = await import("../lib/db/client");
  const membership = await db().membership.findFirstOrThrow({ where: { teamId, userId }, select: { id: true } });
  return membership.id;
}
