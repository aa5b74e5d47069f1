// Server actions called as React calls them, with input no form would send: a NUL in a team name, an
// expiry that is no date, a forged key id. Each is a friendly form error in the action's answer, not a 500.
import { NO_CONTROL_CHARACTERS } from "../lib/validations/text";
import { INVALID_EXPIRY } from "../lib/validations/keys";
import { expect, test } from "./fixtures";
import { callFormAction } from "./support/server-action";

test("server actions answer bad names, dates and ids with form errors, never a 500", async ({ page, seed, signIn }) => {
  const owner = await seed.user();
  await signIn(page, owner);
  const team = owner.team.slug;

  const newTeam = await callFormAction(
    page.request,
    "/teams/new",
    { file: "lib/actions/create-team.ts", name: "createTeamAction" },
    { name: "Null\u0000Team" },
  );
  expect(newTeam.status).toBe(200);
  expect(newTeam.body).toContain(NO_CONTROL_CHARACTERS);

  const rename = await callFormAction(
    page.request,
    `/t/${team}/settings`,
    { file: "lib/actions/rename-team.ts", name: "renameTeamAction" },
    { teamSlug: team, name: "Bell\u0007", slug: team },
  );
  expect(rename.status).toBe(200);
  expect(rename.body).toContain(NO_CONTROL_CHARACTERS);

  for (const expiresOn of ["2026-02-31", "abc"]) {
    const key = await callFormAction(
      page.request,
      `/t/${team}/keys/new`,
      { file: "lib/actions/create-key.ts", name: "createKeyAction" },
      { teamSlug: team, name: "Dated", "endpoint.chat": "write", expiresOn },
    );
    expect(key.status, expiresOn).toBe(200);
    expect(key.body, expiresOn).toContain(INVALID_EXPIRY);
  }

  const forged = await callFormAction(
    page.request,
    `/t/${team}/keys/new`,
    { file: "lib/actions/create-key.ts", name: "createKeyAction" },
    { teamSlug: `${team}\u0000`, name: "Slug", "endpoint.chat": "write" },
  );
  expect(forged.status).toBe(200);
  expect(forged.body).toContain("Not found.");

  const { db } = await import("../lib/db/client");
  expect(await db().apiKey.count({ where: { teamId: owner.team.id } })).toBe(0);
});
