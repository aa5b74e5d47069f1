// Sessions after issue 14: an idle timeout besides the 30-day one, step-up needing a password or code entered
// in the last 10 minutes, ending one's own other session, and the e-mail about a sign-in from a new device.
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");
const dataDir = await mkdtemp(path.join(tmpdir(), "keyward-sessions-"));
process.env.DATA_DIR = dataDir;
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const { createSession, endOwnSession, findActiveSession, listActiveSessions, recentlyReauthenticated } =
  await import("@/lib/auth/sessions");
const { reauthenticate, passwordStep } = await import("@/lib/auth/sign-in");
const { assertStepUp } = await import("@/lib/auth/step-up");
const { SIGN_IN_EVENT_RETENTION_DAYS } = await import("@/lib/auth/sign-in-events");
const { pruneSignInData } = await import("@/lib/auth/housekeeping");
const { db } = await import("@/lib/db/client");
const { appErrorOf, seedUser, TEST_PASSWORD, TEST_REQUEST } = await import("@/lib/testing/seed");

const MINUTE = 60_000;

describe("session timeouts", () => {
  it("ends a session 30 minutes after its last use, and 30 days after sign-in in any case", async () => {
    const { user } = await seedUser("idle");
    const start = new Date();
    const session = await createSession(user.id, TEST_REQUEST, { now: start });
    const at = (ms: number) => findActiveSession(session.id, user.id, { now: new Date(start.getTime() + ms) });
    expect(await at(29 * MINUTE)).not.toBeNull(); // a use: lastSeenAt moves on
    expect(await at(58 * MINUTE)).not.toBeNull(); // 29 minutes after that use
    expect(await at(89 * MINUTE)).toBeNull(); // 31 minutes idle
    const busy = await createSession(user.id, TEST_REQUEST, { now: start });
    for (let m = 20; m < 30 * 24 * 60; m += 20 * 60) {
      // Used every 20 minutes... (lastSeenAt written directly: 2,000 page loads would prove nothing more)
      await db().userSession.update({
        where: { id: busy.id },
        data: { lastSeenAt: new Date(start.getTime() + m * MINUTE) },
      });
    }
    const lastUse = new Date(start.getTime() + (30 * 24 * 60 - 10) * MINUTE);
    await db().userSession.update({ where: { id: busy.id }, data: { lastSeenAt: lastUse } });
    // ...and still over at 30 days.
    expect(
      await findActiveSession(busy.id, user.id, { now: new Date(start.getTime() + 30 * 24 * 60 * MINUTE + 1) }),
    ).toBeNull();
  });

  it("never finds a pending session unless asked, and lists only complete ones", async () => {
    const { user } = await seedUser("pending-row");
    const pending = await createSession(user.id, TEST_REQUEST, { pending: true });
    expect(await findActiveSession(pending.id, user.id)).toBeNull();
    expect(await findActiveSession(pending.id, user.id, { pending: true })).not.toBeNull();
    expect((await listActiveSessions(user.id)).map((s) => s.id)).not.toContain(pending.id);
  });
});

describe("step-up", () => {
  it("passes within 10 minutes of a password or code, asks again after, and takes the password again", async () => {
    const { user, session } = await seedUser("step-up");
    expect(recentlyReauthenticated(session)).toBe(true);
    expect(() => assertStepUp(true, null, session)).not.toThrow();
    const stale = { ...session, reauthenticatedAt: new Date(Date.now() - 11 * MINUTE) };
    expect(() => assertStepUp(true, null, stale)).toThrow(
      expect.objectContaining({ code: "reauthentication_required" }),
    );
    expect(() => assertStepUp((input: { wide: boolean }) => input.wide, { wide: false }, stale)).not.toThrow();
    expect(await appErrorOf(Promise.resolve().then(() => assertStepUp(true, null, stale)))).toMatchObject({
      code: "reauthentication_required",
    });

    await db().userSession.update({
      where: { id: session.sessionId },
      data: { reauthenticatedAt: stale.reauthenticatedAt },
    });
    expect(await reauthenticate(session, "not my password", TEST_REQUEST)).toBe(false);
    expect(await reauthenticate(session, TEST_PASSWORD, TEST_REQUEST)).toBe(true);
    const row = await findActiveSession(session.sessionId, user.id);
    expect(row && recentlyReauthenticated(row)).toBe(true);
  });
});

describe("the Security page's operations", () => {
  it("ends one's own other session, never someone else's", async () => {
    const a = await seedUser("end-a");
    const b = await seedUser("end-b");
    const other = await createSession(a.user.id, TEST_REQUEST);
    expect(await endOwnSession(b.user.id, other.id)).toBe(false);
    expect(await findActiveSession(other.id, a.user.id)).not.toBeNull();
    expect(await endOwnSession(a.user.id, other.id)).toBe(true);
    expect(await findActiveSession(other.id, a.user.id)).toBeNull();
    expect(await findActiveSession(a.session.sessionId, a.user.id)).not.toBeNull();
  });

  it("e-mails about a sign-in from a device and IP never seen for the user, once", async () => {
    const { user } = await seedUser("new-device");
    const home = { ip: "203.0.113.50", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0" };
    const phone = {
      ip: "198.51.100.9",
      userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1",
    };
    const mails = async () => {
      const dir = path.join(dataDir, "mail");
      const files = await readdir(dir).catch(() => [] as string[]);
      const bodies = await Promise.all(files.map((f) => readFile(path.join(dir, f), "utf8")));
      return bodies.filter((b) => b.includes(`To: ${user.email}`) && b.includes("New sign-in"));
    };
    expect((await passwordStep({ email: user.email, password: TEST_PASSWORD }, home)).outcome).toBe("signed_in");
    expect(await mails()).toHaveLength(0); // the first sign-in is no news
    expect((await passwordStep({ email: user.email, password: TEST_PASSWORD }, home)).outcome).toBe("signed_in");
    expect(await mails()).toHaveLength(0);
    expect((await passwordStep({ email: user.email, password: TEST_PASSWORD }, phone)).outcome).toBe("signed_in");
    const sent = await mails();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain("198.51.100.9");
    expect((await passwordStep({ email: user.email, password: TEST_PASSWORD }, phone)).outcome).toBe("signed_in");
    expect(await mails()).toHaveLength(1);
  });

  it(`prunes sign-in rows (and long-ended sessions) older than ${SIGN_IN_EVENT_RETENTION_DAYS} days`, async () => {
    const { user } = await seedUser("prune");
    const old = new Date(Date.now() - (SIGN_IN_EVENT_RETENTION_DAYS + 1) * 24 * 60 * MINUTE);
    await db().signInEvent.create({ data: { userId: user.id, kind: "wrong_password", createdAt: old } });
    await db().signInEvent.create({ data: { userId: user.id, kind: "success" } });
    const ended = await createSession(user.id, TEST_REQUEST, { now: old });
    await db().userSession.update({ where: { id: ended.id }, data: { revokedAt: old } });
    const pruned = await pruneSignInData();
    expect(pruned.events).toBeGreaterThanOrEqual(1);
    expect(pruned.sessions).toBeGreaterThanOrEqual(1);
    expect(await db().userSession.findUnique({ where: { id: ended.id } })).toBeNull();
    expect((await db().signInEvent.findMany({ where: { userId: user.id } })).map((e) => e.kind)).toEqual(["success"]);
  });
});
