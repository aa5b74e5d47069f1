import { describe, expect, it } from "vitest";
import { ACCOUNT_ERRORS, changePassword, signOutEverywhere, signUp } from "@/lib/auth/accounts";
import { verifyPassword } from "@/lib/auth/password";
import { createSession, findActiveSession } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { appErrorOf, auditEvents, seedUser, TEST_PASSWORD, TEST_REQUEST, uniqueEmail } from "@/lib/testing/seed";
import { signUpSchema } from "@/lib/validations/auth";

const NEW_PASSWORD = "quiet-meadow-copper-71";

/** A user with three live sessions; the first is "this browser". */
async function userWithThreeSessions() {
  const seeded = await seedUser("sessions");
  const others = [await createSession(seeded.user.id, TEST_REQUEST), await createSession(seeded.user.id, TEST_REQUEST)];
  return { ...seeded, otherIds: others.map((s) => s.id) };
}

async function liveSessions(userId: string, ids: string[]): Promise<boolean[]> {
  return Promise.all(ids.map(async (id) => (await findActiveSession(id, userId)) !== null));
}

describe("signUp", () => {
  it("creates the user (e-mail lower-cased by the schema), a team they own, and the audit events", async () => {
    const email = uniqueEmail("mixed");
    const input = signUpSchema.parse({
      name: "Ada Lovelace",
      email: `  ${email.toUpperCase()} `,
      password: TEST_PASSWORD,
      teamName: "Analytical",
    });
    const { user, team } = await signUp(input, TEST_REQUEST);

    expect(user.email).toBe(email);
    const stored = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.email).toBe(email);
    expect(await verifyPassword(stored.passwordHash, TEST_PASSWORD)).toBe(true);
    expect(stored.passwordHash).not.toContain(TEST_PASSWORD);
    expect(team.name).toBe("Analytical");
    expect(
      await db().membership.findMany({ where: { teamId: team.id }, select: { userId: true, role: true } }),
    ).toEqual([{ userId: user.id, role: "owner" }]);
    for (const action of ["user.sign_up", "team.create"]) {
      const events = await auditEvents(team.id, action);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actorId: user.id, actorLabel: email, ip: TEST_REQUEST.ip });
    }
  });

  it("refuses a taken e-mail (whatever its case) with a conflict, and creates no second team", async () => {
    const first = await seedUser("taken");
    const teamName = `second-team-${first.user.id}`;
    const input = signUpSchema.parse({
      name: "Someone Else",
      email: first.user.email.toUpperCase(),
      password: TEST_PASSWORD,
      teamName,
    });

    expect(await appErrorOf(signUp(input, TEST_REQUEST))).toMatchObject({
      code: "conflict",
      message: ACCOUNT_ERRORS.emailTaken,
    });
    expect(await db().team.count({ where: { name: teamName } })).toBe(0);
    expect(await db().user.count({ where: { email: first.user.email } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "team.create", actorLabel: first.user.email } })).toBe(1);
  });
});

describe("changePassword", () => {
  it("ends the other sessions, keeps this one, and swaps the password", async () => {
    const { user, session, otherIds } = await userWithThreeSessions();

    expect(
      await changePassword(session, { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD }, TEST_REQUEST),
    ).toEqual({
      sessionsEnded: 2,
    });
    expect(await findActiveSession(session.sessionId, user.id)).toMatchObject({
      sessionId: session.sessionId,
      user: { id: user.id },
    });
    expect(await liveSessions(user.id, otherIds)).toEqual([false, false]);
    const { passwordHash } = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(passwordHash, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(passwordHash, TEST_PASSWORD)).toBe(false);
    const events = await auditEvents(null, "user.password_change");
    expect(events.filter((e) => e.actorId === user.id).map((e) => e.metadata)).toEqual([{ sessionsEnded: 2 }]);
  });

  it("refuses a wrong current password and changes nothing", async () => {
    const { user, session, otherIds } = await userWithThreeSessions();
    const before = await db().user.findUniqueOrThrow({ where: { id: user.id } });

    expect(
      await appErrorOf(
        changePassword(session, { currentPassword: "not-my-password-at-all", password: NEW_PASSWORD }, TEST_REQUEST),
      ),
    ).toMatchObject({ code: "unprocessable", message: ACCOUNT_ERRORS.wrongPassword });
    const after = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.passwordChangedAt).toEqual(before.passwordChangedAt);
    expect(await liveSessions(user.id, [session.sessionId, ...otherIds])).toEqual([true, true, true]);
  });
});

describe("signOutEverywhere", () => {
  it("revokes every session of the user, this one included, and no one else's", async () => {
    const { user, session, otherIds } = await userWithThreeSessions();
    const bystander = await seedUser("bystander");

    expect(await signOutEverywhere(session, TEST_REQUEST)).toEqual({ sessionsEnded: 3 });
    expect(await liveSessions(user.id, [session.sessionId, ...otherIds])).toEqual([false, false, false]);
    expect(await findActiveSession(bystander.session.sessionId, bystander.user.id)).not.toBeNull();
  });
});

describe("findActiveSession", () => {
  it("returns null for an expired row", async () => {
    const { user, session } = await seedUser("expired");
    await db().userSession.update({
      where: { id: session.sessionId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await findActiveSession(session.sessionId, user.id)).toBeNull();
  });

  it("returns null for a session id paired with another user's id", async () => {
    const owner = await seedUser("session-owner");
    const other = await seedUser("session-other");
    expect(await findActiveSession(owner.session.sessionId, other.user.id)).toBeNull();
    expect(await findActiveSession(owner.session.sessionId, owner.user.id)).not.toBeNull();
  });
});
