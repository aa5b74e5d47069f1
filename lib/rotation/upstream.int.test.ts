// Automatic rotation of an upstream key through the Admin API, with the mock upstream and the real Keyward server
// in front of it: the proxy moves to the new key as soon as the rotation commits, the old key's service account
// dies when its overlap ends, and every failure leaves a serving key, an audit event and an alert.
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { describe, expect, it, vi } from "vitest";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { transaction } = await import("@/lib/db/transaction");
const { decryptSecret, encryptSecret } = await import("@/lib/crypto/cipher");
const { notifyKeyChange } = await import("@/lib/keys/invalidation");
const { createOpenAIAdminClient } = await import("@/lib/upstream/openai-admin");
const { appErrorOf, auditEvents } = await import("@/lib/testing/seed");
const { proxyHarness } = await import("@/lib/proxy/testing/proxy-harness");
const { seedProxyTeam } = await import("@/lib/proxy/testing/seed-proxy");
const { manualClock } = await import("./clock");
const rotation = await import("./upstream");

const harness = proxyHarness({ chunkDelayMs: 0, logLevel: "warn" });
const PROJECT = "proj_mock";
const HOUR_MS = 3_600_000;
const api = () => ({ baseUrl: harness.mock.baseUrl });

/** A fresh team whose one upstream key is a service-account key made through the mock, and its Admin key stored. */
async function seedTeam() {
  const seeded = await seedProxyTeam();
  const teamId = seeded.team.id;
  const scope = {
    team: { id: teamId, slug: seeded.team.slug, name: seeded.team.name },
    actor: { type: "user" as const, id: seeded.user.id, label: seeded.user.email },
    request: { ip: null, userAgent: "test" },
    user: { id: seeded.user.id },
  };
  const admin = createOpenAIAdminClient({ baseUrl: harness.mock.baseUrl, adminKey: harness.mock.adminKey });
  const account = await admin.createServiceAccount(PROJECT, `seed-${seeded.team.slug}`);
  const old = await db().upstreamKey.findFirstOrThrow({ where: { teamId }, select: { id: true } });
  await transaction(async (tx) => {
    await tx.upstreamKey.update({
      where: { id: old.id, teamId },
      data: {
        encryptedKey: encryptSecret(account.apiKey.value, { purpose: "upstream_key", teamId, rowId: old.id }),
        keyHint: account.apiKey.value.slice(-4),
        serviceAccountId: account.id,
        weight: 3,
      },
    });
    await notifyKeyChange(tx, { upstreamTeamId: teamId });
  });
  await rotation.setOpenAIAdminKey(scope, { adminKey: harness.mock.adminKey, projectId: PROJECT }, api());
  return { seeded, scope, oldId: old.id, oldKey: account.apiKey.value, oldAccount: account.id };
}

/** A chat completion through Keyward with the team's member key; the key hint the mock saw it with. */
async function servedBy(memberKey: string): Promise<string | null> {
  const sdk = new OpenAI({ baseURL: `${harness.app.url}/v1`, apiKey: memberKey, maxRetries: 0, timeout: 10_000 });
  await sdk.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
  const seen = harness.mock.requests.filter((r) => r.path === "/v1/chat/completions").at(-1);
  return seen?.keyHint ?? null;
}

async function mockStatus(key: string): Promise<number> {
  const response = await fetch(`${harness.mock.baseUrl}/models`, { headers: { authorization: `Bearer ${key}` } });
  await response.body?.cancel();
  return response.status;
}

const accountIds = () => harness.mock.serviceAccounts(PROJECT).map((a) => a.id);

describe("the Admin key", () => {
  it("is checked against the project, stored encrypted, shown masked and removable", async () => {
    const { seeded, scope } = await seedTeam();
    const adminKey = harness.mock.adminKey;
    const row = await db().openAIAdminKey.findUniqueOrThrow({ where: { teamId: scope.team.id } });
    expect(JSON.stringify(row)).not.toContain(adminKey);
    expect(row.encryptedKey).toMatch(/^v1\./);
    expect(
      decryptSecret(row.encryptedKey, { purpose: "openai_admin_key", teamId: scope.team.id, rowId: scope.team.id }),
    ).toBe(adminKey);
    expect(await rotation.readOpenAIAdminKey(scope)).toEqual({
      keyHint: `sk-admin-…${adminKey.slice(-4)}`,
      projectId: PROJECT,
      autoRotate: true,
      createdAt: expect.any(Date),
    });
    const [set] = await auditEvents(scope.team.id, "upstream_key.admin_key_set");
    expect(set?.metadata).toMatchObject({ projectId: PROJECT });
    expect(JSON.stringify(set)).not.toContain(adminKey);

    await rotation.removeOpenAIAdminKey(scope);
    expect(await rotation.readOpenAIAdminKey(scope)).toBeNull();
    expect(await auditEvents(seeded.team.id, "upstream_key.admin_key_remove")).toHaveLength(1);
  });

  it("refuses a wrong Admin key and an unknown project, and stores nothing", async () => {
    const seeded = await seedProxyTeam();
    const scope = {
      team: seeded.team,
      actor: { type: "system" as const, label: "test" },
      request: { ip: null, userAgent: "test" },
    };
    const wrong = await appErrorOf(
      rotation.setOpenAIAdminKey(scope, { adminKey: "sk-admin-wrong-00000000000000000000", projectId: PROJECT }, api()),
    );
    expect([wrong.code, wrong.fieldErrors]).toEqual([
      "unprocessable",
      { adminKey: [rotation.ADMIN_KEY_ERRORS.rejected] },
    ]);
    const project = await appErrorOf(
      rotation.setOpenAIAdminKey(scope, { adminKey: harness.mock.adminKey, projectId: "proj_nope" }, api()),
    );
    expect(project.fieldErrors).toEqual({ projectId: [rotation.ADMIN_KEY_ERRORS.project] });
    expect(await rotation.readOpenAIAdminKey(scope)).toBeNull();
  });
});

describe("rotation", () => {
  it("moves traffic to the new key at once, and deletes the old key's service account after the overlap", async () => {
    const { seeded, scope, oldId, oldKey, oldAccount } = await seedTeam();
    await expect.poll(() => servedBy(seeded.full)).toBe(oldKey.slice(-4));
    const clock = manualClock(new Date());
    const alert = vi.fn();

    const result = await rotation.rotateUpstreamKey(scope, oldId, { clock, baseUrl: harness.mock.baseUrl, alert });
    if (!result.ok) throw new Error(`rotation failed at ${result.step}: ${result.message}`);
    expect(result.retiresAt).toEqual(new Date(clock().getTime() + 24 * HOUR_MS));
    const fresh = await db().upstreamKey.findUniqueOrThrow({ where: { id: result.newKeyId } });
    const newKey = decryptSecret(fresh.encryptedKey, {
      purpose: "upstream_key",
      teamId: scope.team.id,
      rowId: fresh.id,
    });
    expect(fresh).toMatchObject({ name: "mock", weight: 3, enabled: true, retiresAt: null, verifiedAt: clock() });
    expect(accountIds()).toContain(fresh.serviceAccountId);
    expect(await db().upstreamKey.findUniqueOrThrow({ where: { id: oldId } })).toMatchObject({
      enabled: false,
      retiresAt: result.retiresAt,
    });

    // The proxy hears the change through NOTIFY: the next requests go out with the new key only.
    await expect.poll(() => servedBy(seeded.full)).toBe(newKey.slice(-4));
    expect(await servedBy(seeded.full)).toBe(newKey.slice(-4));
    const [complete] = await auditEvents(scope.team.id, "upstream_key.rotation_complete");
    expect(complete?.targets).toEqual([
      { type: "upstream_key", id: oldId, label: `mock (sk-…${oldKey.slice(-4)})` },
      { type: "upstream_key", id: fresh.id, label: `mock (sk-…${newKey.slice(-4)})` },
    ]);
    expect(await auditEvents(scope.team.id, "upstream_key.rotation_start")).toHaveLength(1);

    // Within the overlap nothing is retired; past it, the old account and row go.
    expect(await rotation.finishUpstreamRotations(clock(), { ...api(), alert })).toEqual({ retired: 0, failed: 0 });
    clock.advance(24 * HOUR_MS + 1000);
    expect(await rotation.finishUpstreamRotations(clock(), { ...api(), alert })).toEqual({ retired: 1, failed: 0 });
    expect(accountIds()).not.toContain(oldAccount);
    expect(await mockStatus(oldKey)).toBe(401);
    expect(await db().upstreamKey.findUnique({ where: { id: oldId } })).toBeNull();
    const [deleted] = await auditEvents(scope.team.id, "upstream_key.delete");
    expect(deleted?.metadata).toMatchObject({ automatic: true });
    expect(await servedBy(seeded.full)).toBe(newKey.slice(-4));
    expect(alert).not.toHaveBeenCalled();

    const events = JSON.stringify(await db().auditEvent.findMany({ where: { teamId: scope.team.id } }));
    for (const secret of [oldKey, newKey, harness.mock.adminKey]) expect(events).not.toContain(secret);
  });

  it("a refused create leaves the old key serving, audited and alerted", async () => {
    const { seeded, scope, oldId, oldKey } = await seedTeam();
    const alert = vi.fn();
    const before = accountIds();
    harness.mock.setAdminFault("create", 1, 403);
    const result = await rotation.rotateUpstreamKey(scope, oldId, { baseUrl: harness.mock.baseUrl, alert });
    expect(result).toMatchObject({ ok: false, step: "create", message: expect.stringContaining("403") });
    expect(accountIds()).toEqual(before);
    await expectStillServing(seeded.full, scope.team.id, oldId, oldKey, "create", alert);
  });

  it("a new key that does not work is discarded, and the old key keeps serving", async () => {
    const { seeded, scope, oldId, oldKey } = await seedTeam();
    const alert = vi.fn();
    const before = accountIds();
    harness.mock.rejectNextIssuedKeys(1);
    const result = await rotation.rotateUpstreamKey(scope, oldId, { baseUrl: harness.mock.baseUrl, alert });
    expect(result).toMatchObject({ ok: false, step: "verify", message: expect.stringContaining("401") });
    // The just-created service account was deleted again.
    expect(accountIds()).toEqual(before);
    await expectStillServing(seeded.full, scope.team.id, oldId, oldKey, "verify", alert);
  });

  it("a refused delete keeps the old row disabled and is retried at the next sweep", async () => {
    const { seeded, scope, oldId, oldAccount } = await seedTeam();
    const alert = vi.fn();
    const clock = manualClock(new Date());
    const result = await rotation.rotateUpstreamKey(scope, oldId, { clock, baseUrl: harness.mock.baseUrl, alert });
    if (!result.ok) throw new Error(result.message);
    const fresh = await db().upstreamKey.findUniqueOrThrow({ where: { id: result.newKeyId } });
    clock.advance(25 * HOUR_MS);
    harness.mock.setAdminFault("delete", 1);

    expect(await rotation.finishUpstreamRotations(clock(), { ...api(), alert })).toEqual({ retired: 0, failed: 1 });
    expect(await db().upstreamKey.findUniqueOrThrow({ where: { id: oldId } })).toMatchObject({
      enabled: false,
      retiresAt: result.retiresAt,
    });
    expect(accountIds()).toContain(oldAccount);
    const [failed] = await auditEvents(scope.team.id, "upstream_key.rotation_failed");
    expect(failed?.metadata).toMatchObject({ step: "delete", message: expect.stringContaining("500") });
    expect(alert).toHaveBeenCalledWith(expect.objectContaining({ step: "delete", upstreamKeyId: oldId }));
    await expect.poll(() => servedBy(seeded.full)).toBe(fresh.keyHint);

    expect(await rotation.finishUpstreamRotations(clock(), { ...api(), alert })).toEqual({ retired: 1, failed: 0 });
    expect(accountIds()).not.toContain(oldAccount);
    expect(await db().upstreamKey.findUnique({ where: { id: oldId } })).toBeNull();
    expect(await servedBy(seeded.full)).toBe(fresh.keyHint);
  });

  it("rotates overdue keys of teams with autoRotate, and leaves fresh ones alone", async () => {
    const { seeded, scope, oldId } = await seedTeam();
    // key-state: test set-up — only the key's age, which the policy judges
    await db().upstreamKey.update({
      where: { id: oldId, teamId: scope.team.id },
      data: { createdAt: new Date(Date.now() - 200 * 86_400_000) },
    });
    const results = await rotation.autoRotateDue(new Date(), { ...api(), alert: vi.fn() });
    expect(results).toEqual([expect.objectContaining({ ok: true, teamId: scope.team.id, oldKeyId: oldId })]);
    const fresh = await db().upstreamKey.findFirstOrThrow({ where: { teamId: scope.team.id, enabled: true } });
    await expect.poll(() => servedBy(seeded.full)).toBe(fresh.keyHint);
    // The old key is being replaced and the new one is young: nothing more to do.
    expect(await rotation.autoRotateDue(new Date(), { ...api(), alert: vi.fn() })).toEqual([]);
  });
});

async function expectStillServing(
  memberKey: string,
  teamId: string,
  oldId: string,
  oldKey: string,
  step: string,
  alert: ReturnType<typeof vi.fn>,
) {
  expect(await db().upstreamKey.findMany({ where: { teamId }, select: { id: true, enabled: true } })).toEqual([
    { id: oldId, enabled: true },
  ]);
  expect(await servedBy(memberKey)).toBe(oldKey.slice(-4));
  const [failed] = await auditEvents(teamId, "upstream_key.rotation_failed");
  expect(failed?.metadata).toMatchObject({ step });
  expect(failed?.targets).toEqual([{ type: "upstream_key", id: oldId, label: `mock (sk-…${oldKey.slice(-4)})` }]);
  expect(JSON.stringify(failed)).not.toContain(oldKey);
  expect(alert).toHaveBeenCalledWith(
    expect.objectContaining({ step, upstreamKeyId: oldId, team: expect.objectContaining({ id: teamId }) }),
  );
}
