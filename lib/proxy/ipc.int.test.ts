// A key change made through the dashboard (the web process) is in force at the edge before the dashboard
// answers, carried over IPC alone: this server does not LISTEN (KEY_CHANGE_LISTEN=off), so PostgreSQL's
// NOTIFY cannot be what delivers it. The last test shows the NOTIFY path really is shut here.
import { randomBytes, randomUUID } from "node:crypto";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import type { KeyChange } from "@/lib/keys/key-changes";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { transaction } = await import("@/lib/db/transaction");
const { notifyKeyChange } = await import("@/lib/keys/invalidation");
const { subscribeKeyChanges } = await import("@/lib/keys/key-changes");
const { addMember } = await import("@/lib/testing/seed");
const { proxyHarness } = await import("./testing/proxy-harness");
const { issueFor, managementKeyFor } = await import("./testing/management");

const harness = proxyHarness({ chunkDelayMs: 0, logLevel: "warn", env: { KEY_CHANGE_LISTEN: "off" } });
const CHAT = { endpoints: { chat: "write" as const } };
const status = (apiKey: string) =>
  new OpenAI({ baseURL: `${harness.app.url}/v1`, apiKey, maxRetries: 0, timeout: 10_000 }).chat.completions
    .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
    .then(
      () => 200,
      (e: unknown) => (e as InstanceType<typeof OpenAI.APIError>).status,
    );
const api = (path: string, mgmt: string) =>
  fetch(`${harness.app.url}/api/teams/${harness.seeded.team.slug}${path}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${mgmt}` },
  });

describe("key changes over IPC, with LISTEN off", () => {
  it("a key revoked through the management API fails on the very next request", async () => {
    const { id, key } = await issueFor(harness.seeded, harness.seeded.user.id, CHAT);
    const mgmt = await managementKeyFor(harness.seeded);
    expect(await status(key)).toBe(200); // cached at the edge now
    expect((await api(`/keys/${id}`, mgmt)).status).toBe(204);
    expect(await status(key)).toBe(401);
  });

  it("removing the key's member through the API takes effect on the very next request", async () => {
    const member = await db().user.create({
      data: { email: `m-${randomUUID()}@example.test`, name: "m", passwordHash: "x" },
    });
    const membershipId = await addMember(harness.seeded.team, member, "member");
    const { key } = await issueFor(harness.seeded, member.id, CHAT);
    const mgmt = await managementKeyFor(harness.seeded);
    expect(await status(key)).toBe(200);
    expect((await api(`/members/${membershipId}`, mgmt)).status).toBe(204);
    expect(await status(key)).toBe(401);
  });

  it("(control) a revoke committed by another process, which only NOTIFY would carry, is not seen here", async () => {
    const { id, key } = await issueFor(harness.seeded, harness.seeded.user.id, CHAT);
    expect(await status(key)).toBe(200);
    const row = await db().apiKey.findUniqueOrThrow({ where: { id } });
    const heard: KeyChange[] = [];
    const stop = await subscribeKeyChanges(process.env.DATABASE_URL ?? "", (change) => heard.push(change));
    try {
      await transaction(async (tx) => {
        await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
        await notifyKeyChange(tx, { hashes: [row.hash] });
      });
      // The NOTIFY went out: a listener of this database has it, so an edge that listened would have it too.
      await expect.poll(() => heard.some((c) => c.hashes?.includes(row.hash)), { timeout: 10_000 }).toBe(true);
    } finally {
      await stop();
    }
    expect(await status(key)).toBe(200); // still cached: proof that the tests above could only pass over IPC
  });
});
