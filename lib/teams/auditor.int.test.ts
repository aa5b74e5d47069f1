// The auditor role (issue 15): the audit log and the members, nothing about keys. Checked through the one
// tenant door every page, action and route handler uses: a page turns "forbidden" into 404 (team-page.ts).
import { describe, expect, it } from "vitest";
import { can, type Permission } from "@/lib/auth/permissions";
import { listMembers } from "@/lib/teams/members";
import { appErrorOf, contextIn, seedMember, seedUser } from "@/lib/testing/seed";

describe("an auditor", () => {
  it("reads the team's members and audit log, and is refused every key and OpenAI key permission", async () => {
    const owner = await seedUser("auditor-owner");
    const auditor = await seedMember(owner.team, "auditor", "auditor");

    for (const permission of ["team.read", "members.read", "audit.read"] satisfies Permission[]) {
      const ctx = await contextIn(auditor, owner.team, permission);
      expect(ctx.membership.role).toBe("auditor");
    }
    const members = await listMembers(await contextIn(auditor, owner.team, "members.read"));
    expect(members.map((m) => m.role).sort()).toEqual(["auditor", "owner"]);

    const refused: Permission[] = [
      "api_keys.own",
      "api_keys.manage",
      "api_keys.policy",
      "management_keys.write",
      "upstream_keys.read",
      "upstream_keys.write",
      "members.invite",
      "members.update_role",
      "members.remove",
      "team.update",
    ];
    for (const permission of refused) {
      expect(can("auditor", permission), permission).toBe(false);
      // The sections an auditor may not see at all are not found; actions on visible ones are forbidden.
      const expected = ["api_keys.own", "upstream_keys.read"].includes(permission) ? "not_found" : "forbidden";
      expect((await appErrorOf(contextIn(auditor, owner.team, permission))).code, permission).toBe(expected);
    }
  });

  it("of team A learns nothing of team B: not found, as for a team that does not exist", async () => {
    const a = await seedUser("auditor-a");
    const b = await seedUser("auditor-b");
    const auditor = await seedMember(a.team, "auditor", "auditor-of-a");
    expect((await appErrorOf(contextIn(auditor, b.team, "audit.read"))).code).toBe("not_found");
  });
});
