// Input PostgreSQL would refuse, or that is no date or id, answers 422 from the management API (404 for a
// team slug no team can have), never 500: a NUL byte in a name, an impossible `expiresAt`, a malformed id in
// the path (not-a-uuid, NUL, a literal %00). Through the real route handlers, against a real database; the
// dashboard forms' schemas are checked the same way, since their server actions parse with them.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as invite } from "@/app/api/teams/[slug]/invites/route";
import { DELETE as deleteKey, GET as getKey, PATCH as patchKey } from "@/app/api/teams/[slug]/keys/[id]/route";
import { GET as listKeys, POST as createKey } from "@/app/api/teams/[slug]/keys/route";
import { PATCH as patchMember } from "@/app/api/teams/[slug]/members/[id]/route";
import { db } from "@/lib/db/client";
import { createManagementKey } from "@/lib/keys/management";
import { answer, callRoute } from "@/lib/testing/api-call";
import { appErrorOf, contextIn, seedUser } from "@/lib/testing/seed";
import { signUpSchema } from "@/lib/validations/auth";
import { INVALID_EXPIRY, keyFormSchema } from "@/lib/validations/keys";
import { createTeamSchema, renameTeamSchema } from "@/lib/validations/team";
import { NO_CONTROL_CHARACTERS } from "@/lib/validations/text";
import { addUpstreamKeySchema } from "@/lib/validations/upstream";

let dataDir = "";
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "keyward-validation-"));
  process.env.DATA_DIR = dataDir;
  process.env.AUTH_SECRET ||= randomBytes(32).toString("base64");
  process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
  delete process.env.SMTP_URL;
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function teamWithKey(label: string) {
  const owner = await seedUser(label);
  const mgmt = await createManagementKey(await contextIn(owner, owner.team, "management_keys.write"), {
    name: "validation bot",
    scopes: ["api_keys.manage", "members.update_role", "members.invite"],
  });
  return { owner, team: owner.team, key: mgmt.key };
}

const NUL_NAMES = ["bad\u0000name", "\u0000", "tab\tinside", "bell\u0007"];
const BAD_IDS = ["not-a-uuid", "\u0000", "%00", `${"0".repeat(8)}-0000-0000-0000-00000000000\u0000`];
const scopes = { endpoints: { chat: "write" } };

describe("the management API answers 422, not 500", () => {
  it("refuses a control character in a key's name, on create and on edit, and stores nothing", async () => {
    const a = await teamWithKey("nul-key");
    for (const name of NUL_NAMES) {
      const refused = await answer(
        await callRoute(createKey, { slug: a.team.slug }, a.key, { method: "POST", body: { name, scopes } }),
      );
      expect(refused.status, JSON.stringify(name)).toBe(422);
      expect(refused.body).toMatchObject({
        error: { code: "unprocessable", fields: { name: [NO_CONTROL_CHARACTERS] } },
      });
    }
    const created = await answer(
      await callRoute(createKey, { slug: a.team.slug }, a.key, { method: "POST", body: { name: "ok", scopes } }),
    );
    expect(created.status).toBe(201);
    const id = (created.body as { data: { id: string } }).data.id;
    const edit = await callRoute(patchKey, { slug: a.team.slug, id }, a.key, {
      method: "PATCH",
      body: { name: "x\u0000y" },
    });
    expect(edit.status).toBe(422);
    expect(
      await db().apiKey.findMany({
        where: { teamId: a.team.id, name: { not: "validation bot" } },
        select: { name: true },
      }),
    ).toEqual([{ name: "ok" }]);
  });

  it("refuses an expiresAt that is no date", async () => {
    const a = await teamWithKey("bad-expiry");
    for (const expiresAt of ["2026-02-31T00:00:00Z", "abc", "2027-13-01T00:00:00Z", "2027-01-01T00:00:00\u0000Z"]) {
      const refused = await answer(
        await callRoute(createKey, { slug: a.team.slug }, a.key, {
          method: "POST",
          body: { name: "expiring", scopes: { ...scopes, expiresAt } },
        }),
      );
      expect(refused.status, expiresAt).toBe(422);
      expect(refused.body).toMatchObject({
        error: { code: "unprocessable", fields: { "scopes.expiresAt": [expect.any(String)] } },
      });
    }
  });

  it("refuses a malformed id in the path of every item route", async () => {
    const a = await teamWithKey("bad-id");
    for (const id of BAD_IDS) {
      const params = { slug: a.team.slug, id };
      for (const response of [
        await callRoute(getKey, params, a.key),
        await callRoute(patchKey, params, a.key, { method: "PATCH", body: { name: "x" } }),
        await callRoute(deleteKey, params, a.key, { method: "DELETE" }),
        await callRoute(patchMember, params, a.key, { method: "PATCH", body: { role: "viewer" } }),
      ]) {
        const refused = await answer(response);
        expect(refused.status, JSON.stringify(id)).toBe(422);
        expect(refused.body).toMatchObject({ error: { code: "unprocessable" } });
      }
    }
  });

  it("refuses a control character in an invitation's e-mail", async () => {
    const a = await teamWithKey("nul-invite");
    for (const email of ["a\u0000b@example.test", "nul@example.test\u0000"]) {
      const refused = await callRoute(invite, { slug: a.team.slug }, a.key, {
        method: "POST",
        body: { email, role: "member" },
      });
      expect(refused.status, JSON.stringify(email)).toBe(422);
    }
    expect(await db().invite.count({ where: { teamId: a.team.id } })).toBe(0);
  });

  it("answers a team slug with a NUL as no such team: 404 for a key and for a session alike", async () => {
    const a = await teamWithKey("nul-slug");
    for (const slug of [`${a.team.slug}\u0000`, "\u0000"]) {
      expect((await callRoute(listKeys, { slug }, a.key)).status).toBe(404);
      expect((await appErrorOf(contextIn(a.owner, { slug }))).code).toBe("not_found");
    }
  });
});

describe("the dashboard forms' schemas refuse the same input as field errors", () => {
  it("refuses control characters in user, team and key names", () => {
    const signUp = signUpSchema.safeParse({
      name: "Eve\u0000",
      email: "eve@example.test",
      password: "quiet lantern orchard 12",
      teamName: "Team\u0000",
    });
    expect(signUp.success).toBe(false);
    const paths = signUp.error?.issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["name", "teamName"]));
    expect(createTeamSchema.safeParse({ name: "Te\u0000am" }).success).toBe(false);
    expect(renameTeamSchema.safeParse({ teamSlug: "acme", name: "A\u0000", slug: "acme" }).success).toBe(false);
    const upstream = addUpstreamKeySchema.safeParse({
      teamSlug: "acme",
      name: "Prod\u0000",
      key: `sk-${"a".repeat(20)}`,
    });
    expect(upstream.error?.issues[0]).toMatchObject({ path: ["name"], message: NO_CONTROL_CHARACTERS });
    const key = keyFormSchema.safeParse({ teamSlug: "acme", name: "k\u0000", "endpoint.chat": "write" });
    expect(key.error?.issues[0]).toMatchObject({ path: ["name"], message: NO_CONTROL_CHARACTERS });
  });

  it("refuses an expiry that is not a real day, and a forged id, instead of rolling over or crashing", () => {
    for (const expiresOn of ["2026-02-31", "abc", "2026-13-01", "2026-1-1"]) {
      const parsed = keyFormSchema.safeParse({ teamSlug: "acme", name: "k", "endpoint.chat": "write", expiresOn });
      expect(parsed.error?.issues, expiresOn).toEqual([
        expect.objectContaining({ path: ["expiresAt"], message: INVALID_EXPIRY }),
      ]);
    }
    const valid = keyFormSchema.safeParse({
      teamSlug: "acme",
      name: "k",
      "endpoint.chat": "write",
      expiresOn: "2099-02-28",
    });
    expect(valid.data?.scopes.expiresAt).toBe("2099-02-28T23:59:59.999Z");
    for (const field of ["holderUserId", "keyId"]) {
      const forged = keyFormSchema.safeParse({
        teamSlug: "acme",
        name: "k",
        "endpoint.chat": "write",
        [field]: "x\u0000",
      });
      expect(
        forged.error?.issues.map((issue) => issue.path.join(".")),
        field,
      ).toEqual([field]);
    }
  });
});
