// POST /api/teams/{slug}/keys/{id}/roll through the real route handler: with a management key (the successor
// shown once, the old key kept for the overlap, audited; 409 for a rolled or revoked key, 422 for a bad
// overlap, 404 for another team's key), and through the real server with members' sessions (a member rolls
// their own key, and gets 404 for another member's).
import { randomBytes, randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/teams/[slug]/keys/[id]/roll/route";
import { rolledKeySchema } from "@/lib/api/paths/keys";
import { db } from "@/lib/db/client";
import { findFreePort } from "@/lib/db/embedded-location";
import { makeEmbeddedTempDir } from "@/lib/db/scratch-server";
import { createManagementKey } from "@/lib/keys/management";
import { createKey, revokeKey } from "@/lib/keys/store";
import { ROLL_ERRORS } from "@/lib/rotation/roll";
import { answer, callRoute } from "@/lib/testing/api-call";
import { startApp, type AppProcess } from "@/lib/testing/app-process";
import { signInOverHttp } from "@/lib/testing/http-session";
import { auditEvents, contextIn, seedMember, seedUser, TEST_PASSWORD } from "@/lib/testing/seed";

const CHAT = { endpoints: { chat: "write" as const }, models: ["gpt-4o-mini"] };
const HOUR_MS = 3_600_000;

/** A team with a management key that may manage every member key, and a member holding a key. */
async function teamWithKeys(label: string) {
  const owner = await seedUser(`${label}-owner`);
  const mgmt = await createManagementKey(await contextIn(owner, owner.team, "management_keys.write"), {
    name: "rotation bot",
    scopes: ["api_keys.manage"],
  });
  const member = await seedMember(owner.team, "member", `${label}-member`);
  const memberKey = await createKey(await contextIn(member, owner.team, "api_keys.own"), {
    name: "laptop",
    scopes: CHAT,
  });
  return { owner, member, team: owner.team, mgmt, memberKey };
}

const roll = (slug: string, id: string, key: string, body: unknown = {}) =>
  callRoute(POST, { slug, id }, key, { method: "POST", body });

const rowOf = (id: string) => db().apiKey.findUniqueOrThrow({ where: { id } });

describe("POST /api/teams/{slug}/keys/{id}/roll with a management key", () => {
  it("answers the successor with its key, once, and keeps the old key for the overlap", async () => {
    const a = await teamWithKeys("roll");
    const before = Date.now();
    const response = await roll(a.team.slug, a.memberKey.id, a.mgmt.key, { overlapHours: 6 });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { data } = (await response.json()) as { data: unknown };
    const rolled = rolledKeySchema.parse(data);
    expect(rolled).toMatchObject({
      name: "laptop",
      status: "active",
      holder: { email: a.member.user.email },
      scopes: CHAT,
      previous: { id: a.memberKey.id },
    });
    expect(rolled.id).not.toBe(a.memberKey.id);
    expect(rolled.key).toMatch(/^kw_live_/);
    expect(rolled.key).not.toBe(a.memberKey.key);
    const endsAt = new Date(rolled.previous.overlapEndsAt).getTime();
    expect(endsAt).toBeGreaterThanOrEqual(before + 6 * HOUR_MS);
    expect(endsAt).toBeLessThanOrEqual(Date.now() + 6 * HOUR_MS);

    const old = await rowOf(a.memberKey.id);
    expect(old.revokedAt).toBeNull();
    expect(old.expiresAt?.toISOString()).toBe(rolled.previous.overlapEndsAt);
    expect(old.overlapEndsAt?.toISOString()).toBe(rolled.previous.overlapEndsAt);
    expect(await rowOf(rolled.id)).toMatchObject({ rolledFromId: a.memberKey.id, lineageId: a.memberKey.id });

    const [event, ...more] = await auditEvents(a.team.id, "api_key.roll");
    expect(more).toEqual([]);
    expect(event).toMatchObject({ actorType: "api_key", actorId: a.mgmt.id, metadata: { overlapHours: 6 } });
    expect(JSON.stringify(event)).not.toContain(rolled.key);
  });

  it("defaults the overlap to 24 hours when the body names none", async () => {
    const a = await teamWithKeys("roll-default");
    const rolled = await answer(await roll(a.team.slug, a.memberKey.id, a.mgmt.key, "not json"));
    expect(rolled.status).toBe(201);
    const { previous } = rolledKeySchema.parse((rolled.body as { data: unknown }).data);
    expect(new Date(previous.overlapEndsAt).getTime()).toBeGreaterThan(Date.now() + 23.9 * HOUR_MS);
  });

  it("answers 409 for a rolled or revoked key and 422 for a bad overlap, and changes nothing", async () => {
    const a = await teamWithKeys("roll-refused");
    const countKeys = () => db().apiKey.count({ where: { teamId: a.team.id } });
    for (const overlapHours of [0, 169, 1.5, "24", null]) {
      const refused = await answer(await roll(a.team.slug, a.memberKey.id, a.mgmt.key, { overlapHours }));
      expect(refused.status, `overlapHours: ${String(overlapHours)}`).toBe(422);
      expect(refused.body).toMatchObject({
        error: { code: "unprocessable", fields: { overlapHours: expect.any(Array) } },
      });
    }
    const unknownField = await answer(await roll(a.team.slug, a.memberKey.id, a.mgmt.key, { overlap: 6 }));
    expect(unknownField.status).toBe(422);
    expect((await rowOf(a.memberKey.id)).overlapEndsAt).toBeNull();

    expect((await roll(a.team.slug, a.memberKey.id, a.mgmt.key)).status).toBe(201);
    const keys = await countKeys();
    expect(await answer(await roll(a.team.slug, a.memberKey.id, a.mgmt.key))).toEqual({
      status: 409,
      body: { error: { code: "conflict", message: ROLL_ERRORS.rolled } },
    });

    const revoked = await createKey(await contextIn(a.owner, a.team, "api_keys.own"), { name: "gone", scopes: CHAT });
    await revokeKey(await contextIn(a.owner, a.team, "api_keys.own"), revoked.id);
    expect(await answer(await roll(a.team.slug, revoked.id, a.mgmt.key))).toEqual({
      status: 409,
      body: { error: { code: "conflict", message: ROLL_ERRORS.revoked } },
    });
    expect(await countKeys()).toBe(keys + 1); // only the revoked key made for this test
    expect(await auditEvents(a.team.id, "api_key.roll")).toHaveLength(1);
  });

  it("answers 404 for another team's key, by either team's URL, and for an unknown id", async () => {
    const a = await teamWithKeys("roll-a");
    const b = await teamWithKeys("roll-b");
    const notFound = { status: 404, body: { error: { code: "not_found", message: "Not found." } } };
    expect(await answer(await roll(b.team.slug, b.memberKey.id, a.mgmt.key))).toEqual(notFound);
    expect(await answer(await roll(a.team.slug, b.memberKey.id, a.mgmt.key))).toEqual(notFound);
    expect(await answer(await roll(a.team.slug, randomUUID(), a.mgmt.key))).toEqual(notFound);
    expect((await roll(a.team.slug, "not-a-uuid", a.mgmt.key)).status).toBe(422);
    expect((await rowOf(b.memberKey.id)).overlapEndsAt).toBeNull();
    expect(await db().apiKey.count({ where: { teamId: b.team.id, kind: "live" } })).toBe(1);
    expect(await auditEvents(b.team.id, "api_key.roll")).toEqual([]);
  });

  it("refuses a management key without api_keys.manage", async () => {
    const a = await teamWithKeys("roll-grant");
    const reader = await createManagementKey(await contextIn(a.owner, a.team, "management_keys.write"), {
      name: "reader",
      scopes: ["members.read"],
    });
    // A management key's grants are listed in the team's own dashboard: a missing one is a 403 (as on every route).
    expect((await roll(a.team.slug, a.memberKey.id, reader.key)).status).toBe(403);
    expect((await rowOf(a.memberKey.id)).overlapEndsAt).toBeNull();
  });
});

describe("POST /api/teams/{slug}/keys/{id}/roll with a member's session, through the real server", () => {
  let app: AppProcess;
  let dataDir = "";

  beforeAll(async () => {
    dataDir = await makeEmbeddedTempDir("keyward-roll-");
    const port = await findFreePort();
    app = await startApp(
      {
        ...process.env,
        ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        AUTH_SECRET: randomBytes(32).toString("base64"),
        DATA_DIR: dataDir,
        APP_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: "warn",
      },
      port,
    );
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const post = (cookie: string, slug: string, id: string, body: unknown = { overlapHours: 1 }) =>
    fetch(`${app.url}/api/teams/${slug}/keys/${id}/roll`, {
      method: "POST",
      headers: { cookie, origin: app.url, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("lets a member roll their own key, and answers 404 for another member's or another team's", async () => {
    const a = await teamWithKeys("roll-session");
    const b = await teamWithKeys("roll-session-other");
    const other = await seedMember(a.team, "member", "roll-session-other-member");
    const othersKey = await createKey(await contextIn(other, a.team, "api_keys.own"), { name: "theirs", scopes: CHAT });
    const cookie = (await signInOverHttp(app.url, a.member.user.email, TEST_PASSWORD)) ?? "";
    expect(cookie).not.toBe("");

    const own = await post(cookie, a.team.slug, a.memberKey.id);
    expect(own.status).toBe(201);
    const rolled = rolledKeySchema.parse(((await own.json()) as { data: unknown }).data);
    expect(rolled).toMatchObject({ name: "laptop", holder: { email: a.member.user.email } });
    const [event] = await auditEvents(a.team.id, "api_key.roll");
    expect(event).toMatchObject({ actorType: "user", actorId: a.member.user.id });

    for (const [slug, id] of [
      [a.team.slug, othersKey.id],
      [b.team.slug, b.memberKey.id],
      [a.team.slug, b.memberKey.id],
    ] as const) {
      const refused = await post(cookie, slug, id);
      expect(refused.status, `${slug}/${id}`).toBe(404);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
    expect((await rowOf(othersKey.id)).overlapEndsAt).toBeNull();
    expect((await rowOf(b.memberKey.id)).overlapEndsAt).toBeNull();
    expect(await auditEvents(b.team.id, "api_key.roll")).toEqual([]);
  });
});
