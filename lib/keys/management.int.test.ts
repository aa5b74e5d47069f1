// The REST management API with a team management key (kw_mgmt_…), through the real route handlers.
import { describe, expect, it } from "vitest";
import { GET as listKeysRoute, POST as createKeyRoute } from "@/app/api/teams/[slug]/keys/route";
import { DELETE as revokeKeyRoute, GET as getKeyRoute } from "@/app/api/teams/[slug]/keys/[id]/route";
import { GET as membersRoute } from "@/app/api/teams/[slug]/members/route";
import { contextIn, seedMember, seedUser } from "@/lib/testing/seed";
import { createManagementKey, revokeManagementKey } from "./management";

const call = (
  handler: (r: Request, c: { params: Promise<{ slug: string; id: string }> }) => Promise<Response>,
  slug: string,
  key: string,
  init: RequestInit = {},
  id = "",
) =>
  handler(
    new Request(`http://keyward.test/api/teams/${slug}/keys/${id}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...init.headers },
    }),
    { params: Promise.resolve({ slug, id }) },
  );

describe("management keys", () => {
  it("manage member keys through the API within their scopes, only in their team", async () => {
    const owner = await seedUser("owner");
    const member = await seedMember(owner.team, "member", "member");
    const ctx = await contextIn(owner, owner.team, "management_keys.write");
    const mgmt = await createManagementKey(ctx, { name: "provisioner", scopes: ["api_keys.manage", "members.read"] });
    expect(mgmt.key).toMatch(/^kw_mgmt_/);

    const created = await call(createKeyRoute, owner.team.slug, mgmt.key, {
      method: "POST",
      body: JSON.stringify({
        name: "for member",
        memberEmail: member.user.email,
        scopes: { endpoints: { chat: "write" } },
      }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { data: { id: string; key: string; holder: { email: string } } };
    expect(body.data.holder.email).toBe(member.user.email);
    expect(body.data.key).toMatch(/^kw_live_/);

    const listed = await call(listKeysRoute, owner.team.slug, mgmt.key);
    expect(listed.status).toBe(200);
    expect(await listed.text()).not.toContain(body.data.key);
    expect((await call(getKeyRoute, owner.team.slug, mgmt.key, {}, body.data.id)).status).toBe(200);
    expect((await call(membersRoute, owner.team.slug, mgmt.key)).status).toBe(200);
    expect((await call(revokeKeyRoute, owner.team.slug, mgmt.key, { method: "DELETE" }, body.data.id)).status).toBe(
      204,
    );

    // Another team's URL: 404, as for a session user who is not a member.
    const other = await seedUser("other");
    expect((await call(listKeysRoute, other.team.slug, mgmt.key)).status).toBe(404);
  });

  it("are refused beyond their scopes, when malformed, and once revoked", async () => {
    const owner = await seedUser("owner");
    const ctx = await contextIn(owner, owner.team, "management_keys.write");
    const readOnly = await createManagementKey(ctx, { name: "directory", scopes: ["members.read"] });
    expect((await call(membersRoute, owner.team.slug, readOnly.key)).status).toBe(200);
    expect((await call(listKeysRoute, owner.team.slug, readOnly.key)).status).toBe(403);

    const tampered = `${readOnly.key.slice(0, -1)}${readOnly.key.endsWith("A") ? "B" : "A"}`;
    const refused = await call(membersRoute, owner.team.slug, tampered);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: { code: "unauthorized", message: "Invalid API key." } });

    await revokeManagementKey(ctx, readOnly.id);
    expect((await call(membersRoute, owner.team.slug, readOnly.key)).status).toBe(401);
  });

  it("cannot be created wider than their creator", async () => {
    const owner = await seedUser("owner");
    const member = await seedMember(owner.team, "member", "member");
    const memberCtx = await contextIn(member, owner.team, "team.read");
    await expect(createManagementKey(memberCtx, { name: "sneaky", scopes: ["api_keys.manage"] })).rejects.toThrow(
      /more rights/,
    );
  });
});
