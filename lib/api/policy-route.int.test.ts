// GET/PUT /api/teams/{slug}/policy through the real route handlers with management keys: the change is the
// dashboard's (audited, published to every proxy), bad input and the wrong grant change nothing, another
// team's URL is 404, and a key issued under a wider policy is narrowed at once.
import { describe, expect, it } from "vitest";
import { GET, PUT } from "@/app/api/teams/[slug]/policy/route";
import { db } from "@/lib/db/client";
import { subscribeKeyChanges, type KeyChange } from "@/lib/keys/key-changes";
import { createManagementKey, type ManagementScope } from "@/lib/keys/management";
import { readTeamKeyPolicy } from "@/lib/keys/team-policy";
import { createKey, getKeyWithEffective } from "@/lib/keys/store";
import { answer, callRoute } from "@/lib/testing/api-call";
import { auditEvents, contextIn, seedMember, seedUser } from "@/lib/testing/seed";

const NARROW = { endpoints: { chat: "read", models: "read" }, models: ["gpt-4o-mini"] };

async function teamWithKey(label: string, scopes: ManagementScope[] = ["api_keys.policy"]) {
  const owner = await seedUser(`${label}-owner`);
  const ctx = await contextIn(owner, owner.team, "management_keys.write");
  const mgmt = await createManagementKey(ctx, { name: "policy bot", scopes });
  return { owner, team: owner.team, ctx, mgmt };
}

describe("PUT /api/teams/{slug}/policy", () => {
  it("replaces the policy as the dashboard does: audited, published, and wider keys narrowed", async () => {
    const a = await teamWithKey("policy");
    const member = await seedMember(a.team, "member", "policy-member");
    const wide = await createKey(await contextIn(member, a.team, "api_keys.own"), {
      name: "wide",
      scopes: { endpoints: { chat: "write" }, models: ["gpt-4o", "gpt-4o-mini"] },
    });
    const changes: KeyChange[] = [];
    const stop = await subscribeKeyChanges(process.env.DATABASE_URL ?? "", (change) => changes.push(change));
    try {
      const put = await answer(
        await callRoute(PUT, { slug: a.team.slug }, a.mgmt.key, { method: "PUT", body: NARROW }),
      );
      expect(put).toEqual({ status: 200, body: { data: NARROW } });
      await expect.poll(() => changes.some((c) => c.teamId === a.team.id)).toBe(true);
    } finally {
      await stop();
    }
    expect(await readTeamKeyPolicy(a)).toEqual(NARROW);
    expect(await answer(await callRoute(GET, { slug: a.team.slug }, a.mgmt.key))).toEqual({
      status: 200,
      body: { data: NARROW },
    });

    const [event, ...more] = await auditEvents(a.team.id, "team.key_policy_update");
    expect(more).toEqual([]);
    expect(event).toMatchObject({ actorType: "api_key", actorId: a.mgmt.id, metadata: { after: NARROW } });

    // The key issued under the old policy keeps its own scopes, and may do only what the new one allows.
    const seen = await getKeyWithEffective(await contextIn(member, a.team, "api_keys.own"), wide.id);
    expect(seen.scopes.endpoints.chat).toBe("write");
    expect(seen.effective?.narrowed.map((n) => n.by)).toContain("policy");
    expect(seen.effective?.summary).toMatch(/chat: read/);
    expect(seen.effective?.summary).not.toMatch(/chat: write/);
  });

  it("refuses bad input with a 422 naming the field, and changes nothing", async () => {
    const a = await teamWithKey("policy-bad");
    const before = await readTeamKeyPolicy(a);
    for (const body of [{ endpoints: { chat: "admin" } }, { endpoints: {}, maxLifetimeDays: 0 }, "not json", []]) {
      const refused = await answer(await callRoute(PUT, { slug: a.team.slug }, a.mgmt.key, { method: "PUT", body }));
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ error: { code: "unprocessable", fields: expect.any(Object) } });
    }
    const refused = await answer(
      await callRoute(PUT, { slug: a.team.slug }, a.mgmt.key, {
        method: "PUT",
        body: { endpoints: { chat: "admin" } },
      }),
    );
    expect(Object.keys((refused.body as { error: { fields: object } }).error.fields)).toEqual(["endpoints.chat"]);
    expect(await readTeamKeyPolicy(a)).toEqual(before);
    expect(await auditEvents(a.team.id, "team.key_policy_update")).toEqual([]);
  });

  it("refuses a key without the grant, and one whose creator's role no longer allows it", async () => {
    const a = await teamWithKey("policy-perm", ["members.read"]);
    const put = () => callRoute(PUT, { slug: a.team.slug }, a.mgmt.key, { method: "PUT", body: NARROW });
    expect((await put()).status).toBe(403);
    expect((await callRoute(GET, { slug: a.team.slug }, a.mgmt.key)).status).toBe(200); // any member may read

    const admin = await seedMember(a.team, "admin", "policy-admin");
    const adminKey = await createManagementKey(await contextIn(admin, a.team, "management_keys.write"), {
      name: "admin's",
      scopes: ["api_keys.policy"],
    });
    // Demoted behind the app's back: the key's grant is cut by its creator's role as it is now.
    await db().membership.update({ where: { id: admin.membershipId }, data: { role: "member" } });
    const demoted = await callRoute(PUT, { slug: a.team.slug }, adminKey.key, { method: "PUT", body: NARROW });
    expect(demoted.status).toBe(403);
    expect(await auditEvents(a.team.id, "team.key_policy_update")).toEqual([]);
  });

  it("answers 404 on another team's URL and leaves that team's policy alone", async () => {
    const a = await teamWithKey("policy-a");
    const b = await teamWithKey("policy-b");
    const before = await readTeamKeyPolicy(b);
    const put = await callRoute(PUT, { slug: b.team.slug }, a.mgmt.key, { method: "PUT", body: NARROW });
    expect(await answer(put)).toEqual({ status: 404, body: { error: { code: "not_found", message: "Not found." } } });
    expect((await callRoute(GET, { slug: b.team.slug }, a.mgmt.key)).status).toBe(404);
    expect(await readTeamKeyPolicy(b)).toEqual(before);
    expect(await auditEvents(b.team.id, "team.key_policy_update")).toEqual([]);
  });
});
