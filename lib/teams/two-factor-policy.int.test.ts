// "2FA required" for a team: after the grace period a member without 2FA is refused by the tenant door (pages,
// actions, route handlers) and by the management API for keys they hold, and their member keys stop at the
// proxy unless the owner chose to keep them; turning 2FA on brings the keys back at once. Two processes
// proxy (the edge's fast path and Next's route handlers), so the change must reach them through the one
// key-change path.
import { randomBytes, randomUUID } from "node:crypto";
import { generate } from "otplib";
import { describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { signUp } = await import("@/lib/auth/accounts");
const { createSession } = await import("@/lib/auth/sessions");
const { beginTotpEnrolment, confirmTotpEnrolment } = await import("@/lib/auth/two-factor");
const { resolveTeamContext } = await import("@/lib/teams/context");
const { createManagementKey, resolveManagementKeyContext } = await import("@/lib/keys/management");
const policyModule = await import("@/lib/teams/two-factor-policy");
const { membersWithoutTwoFactor, updateTwoFactorPolicy, TWO_FACTOR_POLICY_ERRORS } = policyModule;
const { appErrorOf } = await import("@/lib/testing/seed");
const { proxyHarness } = await import("@/lib/proxy/testing/proxy-harness");
const { issueFor } = await import("@/lib/proxy/testing/management");

const harness = proxyHarness({ chunkDelayMs: 0, logLevel: "warn", routeHandlers: true });
const REQUEST = { ip: null, userAgent: "test" };
const DAY = 24 * 60 * 60 * 1000;

async function enrol(userId: string): Promise<void> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  if (user.totpEnabledAt) return;
  const { secret } = await beginTotpEnrolment(userId, "amber-kettle-orbit-31");
  await confirmTotpEnrolment(userId, await generate({ secret }), REQUEST);
}

async function contextOf(userId: string, permission: Parameters<typeof resolveTeamContext>[2] = "team.read") {
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, name: true },
  });
  const session = await createSession(userId, REQUEST);
  return resolveTeamContext({ sessionId: session.id, user }, harness.seeded.team.slug, permission, REQUEST);
}

/** The seeded owner, with the same password as the members so `enrol` works for all. */
async function ownerWithTwoFactor() {
  const { hashPassword } = await import("@/lib/auth/password");
  const ownerId = harness.seeded.user.id;
  await db().user.update({
    where: { id: ownerId },
    data: { passwordHash: await hashPassword("amber-kettle-orbit-31") },
  });
  await enrol(ownerId);
  return contextOf(ownerId, "security.policy");
}

async function addMember(role: "member" | "admin" = "member") {
  const { user } = await signUp(
    { name: "Mia Member", email: `mia-${randomUUID()}@example.test`, password: "amber-kettle-orbit-31", teamName: "x" },
    REQUEST,
  );
  await db().membership.create({ data: { teamId: harness.seeded.team.id, userId: user.id, role } });
  return user;
}

async function write(base: string, key: string): Promise<{ status: number; code: string | null }> {
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 1 }),
  });
  const body = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code ?? null };
}

const bases = () => [harness.app.url, harness.handlers.url];
async function expectWrites(key: string, expected: { status: number; code: string | null }) {
  for (const base of bases())
    await expect.poll(() => write(base, key), { timeout: 5_000, interval: 50 }).toEqual(expected);
}
const ALLOWED = { status: 200, code: null };
const STOPPED = { status: 403, code: "two_factor_required" };

describe("the team's 2FA requirement", () => {
  it("refuses the owner who has no 2FA themselves, and lists who would be affected", async () => {
    const member = await addMember();
    const owner = await contextOf(harness.seeded.user.id, "security.policy");
    const own = await db().user.findUniqueOrThrow({ where: { id: owner.user.id } });
    if (!own.totpEnabledAt) {
      expect(
        await appErrorOf(updateTwoFactorPolicy(owner, { required: true, graceDays: 0, keysKeepWorking: false })),
      ).toMatchObject({ message: TWO_FACTOR_POLICY_ERRORS.ownFirst });
    }
    expect((await membersWithoutTwoFactor(owner)).map((m) => m.userId)).toContain(member.id);
  }, 60_000);

  it("shuts out a member without 2FA: door, management key and member keys; enrolling lets them back", async () => {
    const member = await addMember();
    const admin = await addMember("admin");
    const { key } = await issueFor(harness.seeded, member.id, { endpoints: { chat: "write" } });
    const adminCtx = await contextOf(admin.id, "management_keys.write");
    const mgmt = (await createManagementKey(adminCtx, { name: "ops", scopes: ["members.read"] })).key;
    for (const base of bases()) expect(await write(base, key)).toEqual(ALLOWED);

    const owner = await ownerWithTwoFactor();
    await updateTwoFactorPolicy(owner, { required: true, graceDays: 0, keysKeepWorking: false });
    try {
      expect(await appErrorOf(contextOf(member.id))).toMatchObject({ code: "two_factor_required" });
      expect(
        await appErrorOf(resolveManagementKeyContext(mgmt, harness.seeded.team.slug, "members.read", REQUEST)),
      ).toMatchObject({ code: "two_factor_required" });
      await expectWrites(key, STOPPED);
      // The owner has 2FA: unaffected.
      expect((await contextOf(owner.user.id)).twoFactor).toEqual({ state: "ok" });
      const audit = await db().auditEvent.findFirstOrThrow({
        where: { teamId: harness.seeded.team.id, action: "team.two_factor_policy_update" },
        orderBy: { createdAt: "desc" },
      });
      expect(audit.metadata).toMatchObject({ after: { required: true }, before: { required: false } });

      await enrol(member.id);
      await expectWrites(key, ALLOWED);
      expect((await contextOf(member.id)).twoFactor).toEqual({ state: "ok" });
    } finally {
      await updateTwoFactorPolicy(owner, { required: false, graceDays: 0, keysKeepWorking: false });
    }
  }, 60_000);

  it("keeps keys working when the owner chose so, and lets members in during the grace period", async () => {
    const member = await addMember();
    const { key } = await issueFor(harness.seeded, member.id, { endpoints: { chat: "write" } });
    const owner = await ownerWithTwoFactor();
    try {
      await updateTwoFactorPolicy(owner, { required: true, graceDays: 0, keysKeepWorking: true });
      expect(await appErrorOf(contextOf(member.id))).toMatchObject({ code: "two_factor_required" });
      for (const base of bases()) expect(await write(base, key)).toEqual(ALLOWED);

      // Switched off and on again with a 7-day grace period that started 3 days ago: still inside it.
      await updateTwoFactorPolicy(owner, { required: false, graceDays: 0, keysKeepWorking: false });
      await updateTwoFactorPolicy(
        owner,
        { required: true, graceDays: 7, keysKeepWorking: false },
        new Date(Date.now() - 3 * DAY),
      );
      const inGrace = await contextOf(member.id);
      expect(inGrace.twoFactor?.state).toBe("grace");
      await expectWrites(key, ALLOWED);

      // The same policy, started 8 days ago: the grace period is over.
      await updateTwoFactorPolicy(owner, { required: false, graceDays: 0, keysKeepWorking: false });
      await updateTwoFactorPolicy(
        owner,
        { required: true, graceDays: 7, keysKeepWorking: false },
        new Date(Date.now() - 8 * DAY),
      );
      expect(await appErrorOf(contextOf(member.id))).toMatchObject({ code: "two_factor_required" });
      await expectWrites(key, STOPPED);
    } finally {
      await updateTwoFactorPolicy(owner, { required: false, graceDays: 0, keysKeepWorking: false });
    }
    await expectWrites(key, ALLOWED);
  }, 60_000);
});
