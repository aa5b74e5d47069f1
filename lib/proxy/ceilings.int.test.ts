// Issue 13, item 1: the role and the team policy are ceilings on keys that already exist, at request time.
// Three processes share one database: this one changes roles and the policy through the app's own functions
// (as the dashboard of another Keyward server would), and two servers proxy — the edge's fast path and
// Next's route handlers (PROXY_FAST_PATH=off). Each key is answered once first, so it sits in both servers'
// caches: only the change reaching them (NOTIFY) can narrow it.
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { signUp } = await import("@/lib/auth/accounts");
const { createSession } = await import("@/lib/auth/sessions");
const { resolveTeamContext } = await import("@/lib/teams/context");
const { changeMemberRole } = await import("@/lib/teams/members");
const { readTeamKeyPolicy, updateTeamKeyPolicy } = await import("@/lib/keys/team-policy");
const { proxyHarness } = await import("./testing/proxy-harness");
const { issueFor } = await import("./testing/management");

const harness = proxyHarness({ chunkDelayMs: 0, logLevel: "warn", routeHandlers: true });
const REQUEST = { ip: null, userAgent: "test" };

async function ownerContext() {
  const { user, team } = harness.seeded;
  const session = await createSession(user.id, REQUEST);
  return resolveTeamContext({ sessionId: session.id, user: { ...user } }, team.slug, "members.update_role", REQUEST);
}

async function addMember(): Promise<{ userId: string; membershipId: string }> {
  const { user } = await signUp(
    {
      name: "Mia Member",
      email: `mia-${randomUUID()}@example.test`,
      password: "amber-kettle-orbit-31",
      teamName: "Mia's",
    },
    REQUEST,
  );
  const membership = await db().membership.create({
    data: { teamId: harness.seeded.team.id, userId: user.id, role: "member" },
  });
  return { userId: user.id, membershipId: membership.id };
}

type Answer = { status: number; code: string | null };

async function write(base: string, key: string): Promise<Answer> {
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 1 }),
  });
  const body = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code ?? null };
}

async function read(base: string, key: string): Promise<number> {
  const response = await fetch(`${base}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  await response.arrayBuffer();
  return response.status;
}

const bases = () => [harness.app.url, harness.handlers.url];
const REFUSED: Answer = { status: 403, code: "insufficient_permissions" };
const ALLOWED: Answer = { status: 200, code: null };

/** Every server answers `expected` to a write; polled, since another server hears the change by NOTIFY. */
async function expectWrites(key: string, expected: Answer): Promise<void> {
  for (const base of bases())
    await expect.poll(() => write(base, key), { timeout: 2_000, interval: 50 }).toEqual(expected);
}

describe("ceilings on existing keys, on both entry points, across processes", () => {
  it("a demoted member's write key only reads; promoted back, it writes again", async () => {
    const member = await addMember();
    const { key } = await issueFor(harness.seeded, member.userId, { endpoints: { chat: "write", models: "read" } });
    for (const base of bases()) {
      expect(await write(base, key)).toEqual(ALLOWED);
      expect(await read(base, key)).toBe(200);
    }
    const owner = await ownerContext();

    await changeMemberRole(owner, member.membershipId, "viewer");
    await expectWrites(key, REFUSED);
    for (const base of bases()) {
      expect(await write(base, key)).toEqual(REFUSED); // and it stays refused
      expect(await read(base, key)).toBe(200);
    }

    await changeMemberRole(owner, member.membershipId, "member");
    await expectWrites(key, ALLOWED);
  }, 60_000);

  it("a member made auditor keeps no working key: neither writes nor reads", async () => {
    const member = await addMember();
    const { key } = await issueFor(harness.seeded, member.userId, { endpoints: { chat: "write", models: "read" } });
    for (const base of bases()) expect(await write(base, key)).toEqual(ALLOWED);
    const owner = await ownerContext();

    await changeMemberRole(owner, member.membershipId, "auditor");
    await expectWrites(key, REFUSED);
    for (const base of bases()) expect(await read(base, key)).toBe(403);

    await changeMemberRole(owner, member.membershipId, "member");
    await expectWrites(key, ALLOWED);
  }, 60_000);

  it("lowering the team policy narrows existing wider keys on the next request, and raising it restores them", async () => {
    const member = await addMember();
    const { key } = await issueFor(harness.seeded, member.userId, { endpoints: { chat: "write", models: "read" } });
    for (const base of bases()) expect(await write(base, key)).toEqual(ALLOWED);
    const owner = await ownerContext();
    const before = await readTeamKeyPolicy(owner);
    try {
      await updateTeamKeyPolicy(owner, { ...before, endpoints: { ...before.endpoints, chat: "read" } });
      await expectWrites(key, REFUSED);
      for (const base of bases()) expect(await read(base, key)).toBe(200);
    } finally {
      await updateTeamKeyPolicy(owner, before);
    }
    await expectWrites(key, ALLOWED);
  }, 60_000);

  it("a key whose holder left the team answers as no key at all, even if it was never revoked", async () => {
    const member = await addMember();
    const { key } = await issueFor(harness.seeded, member.userId, { endpoints: { chat: "write" } });
    // The membership goes without the app's removal path (which would also revoke the key): the cache's
    // own join with the membership is what refuses it once the key is loaded again.
    await db().membership.delete({ where: { id: member.membershipId } });
    for (const base of bases()) expect((await write(base, key)).status).toBe(401);
  }, 60_000);
});

describe("the team's OpenAI key", () => {
  it("records when it was last used, written with the usage (not per request)", async () => {
    const { key } = await issueFor(harness.seeded, harness.seeded.user.id, { endpoints: { chat: "write" } });
    await db().upstreamKey.updateMany({ where: { teamId: harness.seeded.team.id }, data: { lastUsedAt: null } });
    for (const base of bases()) expect(await write(base, key)).toEqual(ALLOWED);
    // The usage flush runs every 5 s.
    await expect
      .poll(
        async () =>
          (
            await db().upstreamKey.findFirst({
              where: { teamId: harness.seeded.team.id },
              select: { lastUsedAt: true },
            })
          )?.lastUsedAt ?? null,
        { timeout: 15_000, interval: 250 },
      )
      .not.toBeNull();
  }, 60_000);
});
