// Owners and admins see a member's sign-ins; the member is looked up inside the caller's team only.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.AUTH_SECRET ??= randomBytes(32).toString("base64");

const { passwordStep } = await import("@/lib/auth/sign-in");
const { db } = await import("@/lib/db/client");
const { listMemberSignIns } = await import("@/lib/teams/member-sign-ins");
const { addMember, appErrorOf, seedUser, TEST_PASSWORD, TEST_REQUEST } = await import("@/lib/testing/seed");

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
