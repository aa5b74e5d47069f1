// `keyward policy get|set`, `keyward members list|role` and `keyward management-keys create` as an operator
// runs them: the real CLI in its own process against this file's database. Each change goes the
// dashboard's way (audited as "keyward CLI", published to the proxies); bad options change nothing and name
// the flag; another team's member is not found; a management key is printed once and works on the API.
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GET as membersRoute } from "@/app/api/teams/[slug]/members/route";
import { memberSchema } from "@/lib/api/schemas/members";
import { db } from "@/lib/db/client";
import { subscribeKeyChanges, type KeyChange } from "@/lib/keys/key-changes";
import { readTeamKeyPolicy } from "@/lib/keys/team-policy";
import { callRoute } from "@/lib/testing/api-call";
import { operatorCli } from "@/lib/testing/operator-cli";
import { auditEvents, seedMember, seedUser } from "@/lib/testing/seed";

const { keyward, dataDir } = operatorCli("team");

const roleOf = async (membershipId: string) =>
  (await db().membership.findUniqueOrThrow({ where: { id: membershipId } })).role;

describe("keyward policy", () => {
  it("sets the policy as the dashboard does (audited, published), and get prints what set takes", async () => {
    const owner = await seedUser("cli-policy");
    const policy = { endpoints: { chat: "write", models: "read" }, models: ["gpt-4o*"], maxLifetimeDays: 90 };
    const file = path.join(dataDir(), "policy.json");
    await writeFile(file, JSON.stringify(policy));
    const changes: KeyChange[] = [];
    const stop = await subscribeKeyChanges(process.env.DATABASE_URL ?? "", (change) => changes.push(change));
    try {
      const set = await keyward("policy", "set", "--team", owner.team.slug, "--policy", file);
      expect(set.output).toContain(`Set the key policy of ${owner.team.slug}.`);
      expect(set.code).toBe(0);
      await expect.poll(() => changes.some((c) => c.teamId === owner.team.id)).toBe(true);
    } finally {
      await stop();
    }
    expect(await readTeamKeyPolicy(owner)).toEqual(policy);
    const [event, ...more] = await auditEvents(owner.team.id, "team.key_policy_update");
    expect(more).toEqual([]);
    expect(event).toMatchObject({ actorType: "system", actorLabel: "keyward CLI", metadata: { after: policy } });

    const get = await keyward("policy", "get", "--team", owner.team.slug);
    expect(get.code).toBe(0);
    expect(JSON.parse(get.output)).toEqual(policy);
  });

  it("refuses an invalid policy, naming the field, and changes nothing", async () => {
    const owner = await seedUser("cli-policy-bad");
    const before = await readTeamKeyPolicy(owner);
    const bad = await keyward("policy", "set", "--team", owner.team.slug, "--policy", '{"endpoints":{"chat":"admin"}}');
    expect(bad.code).toBe(1);
    expect(bad.output).toContain("Error: Invalid policy");
    expect(bad.output).toContain("endpoints.chat:");
    const notJson = await keyward("policy", "set", "--team", owner.team.slug, "--policy", "{nope");
    expect(notJson.output).toContain("--policy must be JSON or the path of a JSON file.");
    const nowhere = await keyward("policy", "get", "--team", `no-such-team-${randomBytes(4).toString("hex")}`);
    expect(nowhere.code).toBe(1);
    expect(nowhere.output).toContain("No team with the slug");
    expect(await readTeamKeyPolicy(owner)).toEqual(before);
    expect(await auditEvents(owner.team.id, "team.key_policy_update")).toEqual([]);
  });
});

describe("keyward members", () => {
  it("lists the team's members, and only them; --json prints the REST API's member objects", async () => {
    const owner = await seedUser("cli-members");
    const member = await seedMember(owner.team, "viewer", "cli-members-viewer");
    const other = await seedUser("cli-members-other");

    const table = await keyward("members", "list", "--team", owner.team.slug);
    expect(table.code).toBe(0);
    expect(table.output).toMatch(new RegExp(`${member.membershipId}\\s+${member.user.email}.*viewer`));
    expect(table.output).toContain(owner.user.email);
    expect(table.output).not.toContain(other.user.email);

    const json = await keyward("members", "list", "--team", owner.team.slug, "--json");
    expect(json.code).toBe(0);
    const listed = memberSchema.array().parse(JSON.parse(json.output));
    expect(listed.map((m) => [m.user.email, m.role])).toEqual([
      [owner.user.email, "owner"],
      [member.user.email, "viewer"],
    ]);
  });

  it("changes a role as the dashboard does, keeps the last owner, and does not reach another team", async () => {
    const owner = await seedUser("cli-role");
    const member = await seedMember(owner.team, "member", "cli-role-member");
    const changed = await keyward(
      "members",
      "role",
      "--team",
      owner.team.slug,
      "--member",
      member.user.email,
      "--role",
      "admin",
    );
    expect(changed.output).toContain(`${member.user.email} is now admin in ${owner.team.slug} (was member).`);
    expect(changed.code).toBe(0);
    expect(await roleOf(member.membershipId)).toBe("admin");
    const [event] = await auditEvents(owner.team.id, "member.role_change");
    expect(event).toMatchObject({
      actorType: "system",
      actorLabel: "keyward CLI",
      metadata: { from: "member", to: "admin" },
    });

    const lastOwner = await keyward(
      "members",
      "role",
      "--team",
      owner.team.slug,
      "--member",
      owner.user.email,
      "--role",
      "viewer",
    );
    expect(lastOwner.code).toBe(1);
    expect(lastOwner.output).toContain("A team needs at least one owner.");

    const other = await seedUser("cli-role-other");
    const cross = await keyward(
      "members",
      "role",
      "--team",
      owner.team.slug,
      "--member",
      other.user.email,
      "--role",
      "viewer",
    );
    expect(cross.code).toBe(1);
    expect(cross.output).toContain(`${other.user.email} is not a member of ${owner.team.slug}.`);

    const badRole = await keyward(
      "members",
      "role",
      "--team",
      owner.team.slug,
      "--member",
      member.user.email,
      "--role",
      "root",
    );
    expect(badRole.code).toBe(1);
    expect(badRole.output).toContain("--role: Choose a role.");
    expect(await roleOf(member.membershipId)).toBe("admin");
    expect(await auditEvents(owner.team.id, "member.role_change")).toHaveLength(1);
    expect(await auditEvents(other.team.id, "member.role_change")).toEqual([]);
  });
});

describe("keyward management-keys create", () => {
  it("prints the key once, on stdout alone, and the key works on the team's API within its scopes", async () => {
    const owner = await seedUser("cli-mgmt");
    const other = await seedUser("cli-mgmt-other");
    const result = await keyward(
      "management-keys",
      "create",
      "--team",
      owner.team.slug,
      "--member",
      owner.user.email,
      "--scopes",
      "members.read,api_keys.policy",
      "--name",
      "provisioner",
    );
    expect(result.code).toBe(0);
    const key = result.stdout.trim();
    expect(key).toMatch(/^kw_mgmt_\S+$/);
    expect(result.stderr).toContain("This is the only time the key is shown");
    expect(result.stderr).not.toContain(key);

    expect((await callRoute(membersRoute, { slug: owner.team.slug }, key)).status).toBe(200);
    expect((await callRoute(membersRoute, { slug: other.team.slug }, key)).status).toBe(404);
    const row = await db().apiKey.findFirstOrThrow({ where: { teamId: owner.team.id, kind: "mgmt" } });
    expect(row).toMatchObject({ name: "provisioner", userId: owner.user.id, createdById: null });
    expect(JSON.stringify(row)).not.toContain(key);
    const [event] = await auditEvents(owner.team.id, "api_key.create");
    expect(event).toMatchObject({
      actorType: "system",
      actorLabel: "keyward CLI",
      metadata: { kind: "management", scopes: ["members.read", "api_keys.policy"] },
      targets: [
        { type: "api_key", id: row.id },
        { type: "user", id: owner.user.id },
      ],
    });
  });

  it("refuses scopes beyond the holder's role, unknown scopes and another team's member, issuing nothing", async () => {
    const owner = await seedUser("cli-mgmt-bad");
    const member = await seedMember(owner.team, "member", "cli-mgmt-bad-member");
    const other = await seedUser("cli-mgmt-bad-other");
    const create = (email: string, scopes: string) =>
      keyward("management-keys", "create", "--team", owner.team.slug, "--member", email, "--scopes", scopes);

    const wider = await create(member.user.email, "members.remove");
    expect(wider.code).toBe(1);
    expect(wider.output).toContain("A management key cannot have more rights than the member who holds it.");
    const unknown = await create(owner.user.email, "members.read,root");
    expect(unknown.code).toBe(1);
    expect(unknown.output).toMatch(/--scopes(\.1)?: /);
    const cross = await create(other.user.email, "members.read");
    expect(cross.code).toBe(1);
    expect(cross.output).toContain("not a member of this team");
    expect(await db().apiKey.count({ where: { teamId: owner.team.id, kind: "mgmt" } })).toBe(0);
    expect(await auditEvents(owner.team.id, "api_key.create")).toEqual([]);
  });
});
