// The background re-encryption started from the admin UI: a team's keys move to the current master key,
// other teams' keys are left alone, and every key still decrypts to what was stored.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

const key1 = randomBytes(32).toString("base64");
const key2 = randomBytes(32).toString("base64");
// The app's keyring: version 2 is current, version 1 is still readable.
process.env.ENCRYPTION_KEY = key2;
process.env.ENCRYPTION_KEY_VERSION = "2";
process.env.ENCRYPTION_KEY_PREVIOUS = `1:${key1}`;

const { randomUUID } = await import("node:crypto");
const { db } = await import("@/lib/db/client");
const { decryptSecret, encryptSecret } = await import("@/lib/crypto/cipher");
const { keyringFromEnv, appKeyring } = await import("@/lib/crypto/keyring");
const { appErrorOf, auditEvents, contextIn, seedUser } = await import("@/lib/testing/seed");
const { JOB_ERRORS, latestJob, startReencryptionJob, staleSecretCount } = await import("./reencryption-job");

const oldKeyring = keyringFromEnv({ ENCRYPTION_KEY: key1 });

async function seedKeys(teamId: string, count: number) {
  const plain = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const secret = `sk-proj-${randomBytes(16).toString("hex")}`;
    plain.set(id, secret);
    await db().upstreamKey.create({
      data: {
        id,
        teamId,
        name: `k${i}`,
        keyHint: secret.slice(-4),
        encryptedKey: encryptSecret(secret, { purpose: "upstream_key", teamId, rowId: id }, oldKeyring),
      },
    });
  }
  return plain;
}

describe("background re-encryption", () => {
  it("moves one team's keys to the current key with progress, and leaves other teams alone", async () => {
    const owner = await seedUser("owner");
    const other = await seedUser("other");
    const ctx = await contextIn(owner, owner.team, "upstream_keys.write");
    const mine = await seedKeys(owner.team.id, 250);
    const theirs = await seedKeys(other.team.id, 5);
    expect(await staleSecretCount(ctx)).toEqual({ stale: 250, currentVersion: 2 });

    const job = await startReencryptionJob(ctx);
    expect(job).toMatchObject({ status: "running", total: 250, toVersion: 2 });
    // Until the job says it is no longer running; the timeout only catches a job that never ends.
    await expect.poll(async () => (await latestJob(ctx))?.status, { timeout: 25_000 }).not.toBe("running");
    expect(await latestJob(ctx)).toMatchObject({ status: "done", done: 250, total: 250 });

    const rows = await db().upstreamKey.findMany({ where: { teamId: { in: [owner.team.id, other.team.id] } } });
    for (const row of rows) {
      const binding = { purpose: "upstream_key" as const, teamId: row.teamId, rowId: row.id };
      const expected = mine.get(row.id) ?? theirs.get(row.id);
      expect(row.encryptedKey.startsWith(row.teamId === owner.team.id ? "v2." : "v1.")).toBe(true);
      expect(decryptSecret(row.encryptedKey, binding, appKeyring())).toBe(expected);
    }
    expect(await staleSecretCount(ctx)).toEqual({ stale: 0, currentVersion: 2 });
    expect(await auditEvents(owner.team.id, "encryption.reencrypt")).toHaveLength(1);
    expect((await appErrorOf(startReencryptionJob(ctx))).message).toBe(JOB_ERRORS.nothingToDo);
  });
});
