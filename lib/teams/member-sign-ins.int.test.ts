// Owners, admins and auditors (audit.read) see a member's sign-ins and who has 2FA; the member is looked up
// inside the caller's team only.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.AUTH_SECRET ??= randomBytes(32).toString("base64");

const { passwordStep } = await import("@/lib/auth/sign-in");
const { db } = await import("@/lib/db/client");
const { toPublicMember } = await import("@/lib/api/schemas/members");
const { listMemberSignIns } = await import("@/lib/teams/member-sign-ins");
const { listMembers } = await import("@/lib/teams/members");
const { addMember, appErrorOf, contextIn, seedMember, seedUser, TEST_PASSWORD, TEST_REQUEST } =
  await import("@/lib/testing/seed");

describe("listMemberSignIns", () => {
  it("lists a member's sign-ins newest first, and another team's member is not found", async () => {
    const a = await seedUser("signins-a");
    const b = await seedUser("signins-b");
    const member = await seedUser("signins-member");
    const membershipId = await addMember(a.team, member.user, "member");
    await passwordStep({ email: member.user.email, password: "wrong-password-here" }, TEST_REQUEST);
    await passwordStep({ email: member.user.email, password: TEST_PASSWORD }, TEST_REQUEST);
    const { member: shown, events } = await listMemberSignIns({ team: a.team }, membershipId);
    expect(shown.email).toBe(member.user.email);
    expect(events.map((e) => e.kind).slice(0, 2)).toEqual(["success", "wrong_password"]);
    expect(events[0]).not.toHaveProperty("reason");
    expect(await appErrorOf(listMemberSignIns({ team: b.team }, membershipId))).toMatchObject({ code: "not_found" });
    const bOwner = await db().membership.findFirstOrThrow({ where: { teamId: b.team.id } });
    expect(await appErrorOf(listMemberSignIns({ team: a.team }, bOwner.id))).toMatchObject({ code: "not_found" });
  });
});

describe("who may see a member's sign-ins and 2FA state", () => {
  it("is owners, admins and auditors (audit.read); a member or viewer is refused at the door", async () => {
    const owner = await seedUser("signins-door");
    for (const role of ["admin", "auditor"] as const) {
      const seeded = await seedMember(owner.team, role, `signins-${role}`);
      expect((await contextIn(seeded, owner.team, "audit.read")).membership.role).toBe(role);
    }
    expect((await contextIn(owner, owner.team, "audit.read")).membership.role).toBe("owner");
    for (const role of ["member", "viewer"] as const) {
      const seeded = await seedMember(owner.team, role, `signins-${role}`);
      expect(await appErrorOf(contextIn(seeded, owner.team, "audit.read"))).toMatchObject({ code: "not_found" });
    }
  });
});

describe("listMembers' 2FA state", () => {
  it("says per member of the team whether 2FA is on, and the API's member objects leave it out", async () => {
    const a = await seedUser("twofa-a");
    const b = await seedUser("twofa-b");
    const enrolled = await seedMember(a.team, "member", "twofa-on");
    const off = await seedMember(a.team, "viewer", "twofa-off");
    const enabledAt = new Date("2026-11-01T10:00:00Z");
    await db().user.update({ where: { id: enrolled.user.id }, data: { totpEnabledAt: enabledAt } });

    const members = await listMembers({ team: a.team });
    const stateOf = (userId: string) => members.find((m) => m.user.id === userId)?.user.totpEnabledAt;
    expect(members).toHaveLength(3);
    expect(stateOf(enrolled.user.id)).toEqual(enabledAt);
    expect(stateOf(off.user.id)).toBeNull();
    expect(stateOf(a.user.id)).toBeNull();
    // Team B's list has its own member only, whatever A's members have set up.
    expect((await listMembers({ team: b.team })).map((m) => m.user.id)).toEqual([b.user.id]);
    for (const member of members) expect(toPublicMember(member).user).not.toHaveProperty("totpEnabledAt");
  });
});
