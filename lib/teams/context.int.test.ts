import { describe, expect, it } from "vitest";
import { resolveTeamContext } from "@/lib/teams/context";
import { createInvite, listPendingInvites } from "@/lib/teams/invites";
import { listMembers } from "@/lib/teams/members";
import { appErrorOf, contextIn, seedMember, seedUser, TEST_REQUEST, uniqueEmail } from "@/lib/testing/seed";

describe("resolveTeamContext", () => {
  it("gives a member their context: user, session, team, membership and request", async () => {
    const owner = await seedUser("owner");
    const member = await seedMember(owner.team, "member");
    const ctx = await resolveTeamContext(member.session, owner.team.slug, "members.read", TEST_REQUEST);

    expect(ctx).toMatchObject({
      user: member.user,
      sessionId: member.session.sessionId,
      team: owner.team,
      membership: { id: member.membershipId, role: "member" },
      request: TEST_REQUEST,
    });
  });

  it("answers a user of team B asking for team A exactly as for a team that does not exist", async () => {
    const a = await seedUser("team-a");
    const b = await seedUser("team-b");

    const foreign = await appErrorOf(contextIn(b, a.team, "team.read"));
    const unknown = await appErrorOf(contextIn(b, { slug: `no-such-team-${b.user.id}` }, "team.read"));
    expect(foreign).toMatchObject({ code: "not_found", status: 404 });
    expect({ code: foreign.code, message: foreign.message }).toEqual({ code: unknown.code, message: unknown.message });
  });

  it("refuses a viewer a permission their role lacks, but grants what it has", async () => {
    const owner = await seedUser("owner");
    const viewer = await seedMember(owner.team, "viewer");

    expect(await appErrorOf(contextIn(viewer, owner.team, "members.invite"))).toMatchObject({ code: "forbidden" });
    expect((await contextIn(viewer, owner.team, "members.read")).membership.role).toBe("viewer");
  });
});

describe("team listings", () => {
  it("listMembers and listPendingInvites return only the given team's rows", async () => {
    const a = await seedUser("team-a");
    const b = await seedUser("team-b");
    const memberA = await seedMember(a.team, "member", "member-a");
    const memberB = await seedMember(b.team, "admin", "member-b");
    const inviteA = await createInvite(await contextIn(a, a.team, "members.invite"), {
      email: uniqueEmail("invited-a"),
      role: "viewer",
    });
    const inviteB = await createInvite(await contextIn(b, b.team, "members.invite"), {
      email: uniqueEmail("invited-b"),
      role: "member",
    });

    const membersA = await listMembers(a);
    expect(membersA.map((m) => [m.user.id, m.role])).toEqual([
      [a.user.id, "owner"],
      [memberA.user.id, "member"],
    ]);
    expect((await listMembers(b)).map((m) => m.user.id)).toEqual([b.user.id, memberB.user.id]);

    expect((await listPendingInvites(a)).map((i) => i.id)).toEqual([inviteA.invite.id]);
    expect((await listPendingInvites(b)).map((i) => i.id)).toEqual([inviteB.invite.id]);
  });
});
