// The team's OpenAI keys: an admin adds, sees masked, disables and deletes; members cannot reach them;
// a canary key stored through the UI leaks nowhere.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { expect, test, type SeededUser } from "./fixtures";
import { callFormAction } from "./support/server-action";
import { SAME_ORIGIN } from "./support/same-origin";

const fakeKey = (label: string) =>
  `sk-proj-${label}${randomBytes(24)
    .toString("base64url")
    .replace(/[^A-Za-z0-9]/g, "x")}`;

async function addKey(page: import("@playwright/test").Page, owner: SeededUser, name: string, key: string) {
  await page.goto(`/t/${owner.team.slug}/upstream-keys`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("OpenAI API key").fill(key);
  await page.getByRole("button", { name: "Check and save" }).click();
}

test("an admin adds a key checked against the upstream, sees it masked, disables and deletes it", async ({
  page,
  seed,
  signIn,
}) => {
  const owner = await seed.user();
  const admin = await seed.user({ name: "Ari Admin" });
  await seed.addMember(owner.team, admin, "admin");
  await signIn(page, admin);
  await page.goto(`/t/${owner.team.slug}`);
  await page.getByRole("link", { name: "OpenAI keys" }).click();
  await expect(page.getByText("No OpenAI key yet.")).toBeVisible();

  // The mock upstream rejects this one, as OpenAI would: nothing is saved.
  await addKey(page, owner, "Typo", "sk-invalid-0000000000000000000000");
  await expect(page.getByText("OpenAI rejected this key.")).toBeVisible();
  await expect(page.getByText("No OpenAI key yet.")).toBeVisible();

  const key = fakeKey("prod");
  await addKey(page, owner, "Production", key);
  const masked = `sk-…${key.slice(-4)}`;
  await expect(page.getByText(`Saved Production (${masked}). OpenAI accepted it.`)).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "Production" });
  await expect(row).toContainText(masked);
  await expect(row).toContainText("Enabled");
  await expect(row).toContainText("Checked");
  expect(await page.content()).not.toContain(key);
  await page.screenshot({ path: "test-results/screenshots/upstream-keys.png", fullPage: true });

  await row.getByRole("button", { name: "Check Production" }).click();
  await expect(row.getByText("Works.")).toBeVisible();
  await row.getByRole("button", { name: "Disable Production" }).click();
  await expect(row).toContainText("Disabled");
  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Delete Production" }).click();
  await expect(page.getByText("No OpenAI key yet.")).toBeVisible();

  // Every step is in the audit trail, with the masked key only.
  await page.goto(`/t/${owner.team.slug}`);
  for (const verb of ["added the OpenAI key", "disabled the OpenAI key", "deleted the OpenAI key"]) {
    await expect(page.getByText(`${admin.email} ${verb} Production (${masked})`)).toBeVisible();
  }
});

test("a member can neither see nor add upstream keys", async ({ page, seed, signIn }) => {
  const owner = await seed.user();
  const member = await seed.user();
  await seed.addMember(owner.team, member, "member");
  await signIn(page, member);
  await page.goto(`/t/${owner.team.slug}`);
  await expect(page.getByRole("link", { name: "Members" })).toBeVisible();
  await expect(page.getByRole("link", { name: "OpenAI keys" })).toHaveCount(0);
  expect((await page.goto(`/t/${owner.team.slug}/upstream-keys`))?.status()).toBe(404);

  // A hidden section is not found, by the API as by the page.
  expect((await page.request.get(`/api/teams/${owner.team.slug}/upstream-keys`)).status()).toBe(404);
  const post = await page.request.post(`/api/teams/${owner.team.slug}/upstream-keys`, {
    headers: SAME_ORIGIN,
    data: { name: "Sneaky", key: fakeKey("sneaky") },
  });
  expect(post.status()).toBe(403);
  const action = await callFormAction(
    page.request,
    `/t/${owner.team.slug}`,
    { file: "lib/actions/add-upstream-key.ts", name: "addUpstreamKeyAction" },
    {
      teamSlug: owner.team.slug,
      name: "Sneaky",
      key: fakeKey("sneaky"),
    },
  );
  expect(action.body).toContain("Your role does not allow this.");
});

test("a canary key stored through the UI appears in no log line, table, page, response or client bundle", async ({
  page,
  seed,
  signIn,
}) => {
  const owner = await seed.user();
  await signIn(page, owner);
  const canary = fakeKey("canary");
  const bodies: string[] = [];
  // Each response's body is read as it arrives; the checks below wait for every one of those reads.
  const reading: Promise<void>[] = [];
  page.on("response", (response) => {
    bodies.push(`${response.url()}\n`);
    reading.push(
      response.text().then(
        (text) => void bodies.push(text),
        () => undefined, // a body the browser no longer has (a redirect, a page left behind)
      ),
    );
  });

  await addKey(page, owner, "Canary", canary);
  await expect(page.getByText("OpenAI accepted it.")).toBeVisible();
  await page.getByRole("button", { name: "Check Canary" }).click();
  await expect(page.getByText("Works.")).toBeVisible();
  for (const path of [
    "/",
    "/dashboard",
    `/t/${owner.team.slug}`,
    `/t/${owner.team.slug}/members`,
    `/t/${owner.team.slug}/upstream-keys`,
    "/account",
  ]) {
    await page.goto(path);
  }
  for (const path of [
    `/api/teams/${owner.team.slug}/upstream-keys`,
    `/api/teams/${owner.team.slug}/members`,
    "/api/auth/session",
  ]) {
    bodies.push(await (await page.request.get(path)).text());
  }
  const keyId = (
    (await (await page.request.get(`/api/teams/${owner.team.slug}/upstream-keys`)).json()) as { data: { id: string }[] }
  ).data[0]?.id;
  bodies.push(
    await (
      await page.request.post(`/api/teams/${owner.team.slug}/upstream-keys/${keyId}/check`, { headers: SAME_ORIGIN })
    ).text(),
  );
  await Promise.all(reading); // every page response's body, read

  const needles = [canary, canary.slice(8, 40), Buffer.from(canary).toString("base64")];
  const seen = (haystack: string) => needles.some((needle) => haystack.includes(needle));
  expect(bodies.length).toBeGreaterThan(10);
  expect(seen(bodies.join("\n")), "an HTML page, JSON or server-action response").toBe(false);

  const log = readFileSync(process.env.KEYWARD_E2E_LOG_FILE ?? "", "utf8");
  expect(log).toContain('"path":"/api/teams/'); // the log really covers this test's requests (debug access log)
  expect(seen(log), "the app's log").toBe(false);

  const client = new pg.Client({ connectionString: process.env.KEYWARD_E2E_DATABASE_URL });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    let dump = "";
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${client.escapeIdentifier(name)} t`);
      dump += rows.rows.map((r) => r.row).join("\n");
    }
    expect(dump).toContain(canary.slice(-4)); // the hint is there, so the dump really covers the key's row…
    expect(seen(dump), "a plain-text dump of every table").toBe(false); // …but not the key
  } finally {
    await client.end();
  }

  const secrets = JSON.parse(process.env.KEYWARD_E2E_SERVER_SECRETS ?? "[]") as string[];
  const bundle = filesUnder(".next/static")
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
  expect(bundle.length).toBeGreaterThan(1000);
  expect(seen(bundle), "the client bundle").toBe(false);
  for (const secret of secrets) expect(bundle.includes(secret), "a server secret in the client bundle").toBe(false);
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}
