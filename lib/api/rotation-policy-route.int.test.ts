// GET, PUT /api/teams/{slug}/rotation-policy through the real route handlers: defaults, a change audited and
// read back, bad input a 422 that changes nothing, members may read but not change it, another team's is 404.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

process.env.AUTH_SECRET ||= randomBytes(32).toString("base64");
process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");

const { GET, PUT } = await import("@/app/api/teams/[slug]/rotation-policy/route");
const { createManagementKey } = await import("@/lib/keys/management");
const { callRoute } = await import("@/lib/testing/api-call");
const { auditEvents, contextIn, seedUser } = await import("@/lib/testing/seed");

async function teamWithKey(label: string, scopes: ("api_keys.policy" | "members.read")[]) {
  const owner = await seedUser(`${label}-owner`);
  const mgmt = await createManagementKey(await contextIn(owner, owner.team, "management_keys.write"), {
    name: "policy bot",
    scopes,
  });
  return { owner, team: owner.team, key: mgmt.key };
}

describe("/api/teams/{slug}/rotation-policy", () => {
  it("reads the defaults, stores a change (audited) and refuses bad input without changing anything", async () => {
    const a = await teamWithKey("rp", ["api_keys.policy"]);
    const read = async () =>
      ((await (await callRoute(GET, { slug: a.team.slug }, a.key)).json()) as { data: unknown }).data;
    expect(await read()).toEqual({
      memberKeyMaxAgeDays: 90,
      managementKeyMaxAgeDays: 90,
      upstreamKeyMaxAgeDays: 180,
      reminderOffsetsDays: [14, 3, 0],
      atDeadline: "remind",
      graceDays: 7,
    });
    const put = (body: unknown) => callRoute(PUT, { slug: a.team.slug }, a.key, { method: "PUT", body });
    const saved = await put({ memberKeyMaxAgeDays: 30, reminderOffsetsDays: [0, 7], atDeadline: "expire" });
    expect(saved.status).toBe(200);
    const stored = {
      memberKeyMaxAgeDays: 30,
      managementKeyMaxAgeDays: 90,
      upstreamKeyMaxAgeDays: 180,
      reminderOffsetsDays: [7, 0],
      atDeadline: "expire",
      graceDays: 7,
    };
    expect(await read()).toEqual(stored);
    expect(await auditEvents(a.team.id, "team.rotation_policy_update")).toHaveLength(1);
    for (const bad of [{ memberKeyMaxAgeDays: 0 }, { reminderOffsetsDays: [3, 3] }, { graceDays: 91 }, { extra: 1 }]) {
      const refused = await put(bad);
      expect(refused.status).toBe(422);
      const body = (await refused.json()) as { error: { message: string } };
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    expect(await read()).toEqual(stored);
  });

  it("lets members read it but not change it, and answers 404 for another team", async () => {
    const a = await teamWithKey("rp-a", ["api_keys.policy"]);
    const b = await teamWithKey("rp-b", ["api_keys.policy"]);
    expect((await callRoute(GET, { slug: b.team.slug }, a.key)).status).toBe(404);
    expect((await callRoute(PUT, { slug: b.team.slug }, a.key, { method: "PUT", body: {} })).status).toBe(404);
    const reader = await teamWithKey("rp-r", ["members.read"]);
    expect((await callRoute(GET, { slug: reader.team.slug }, reader.key)).status).toBe(200);
    expect((await callRoute(PUT, { slug: reader.team.slug }, reader.key, { method: "PUT", body: {} })).status).toBe(
      403,
    );
  });
});
