// The audit hash chain against PostgreSQL: parallel writers of one team serialize and never fork it; a stored
// event changed, removed or slipped in by the database owner (triggers off) is named by verifyChain; pruning
// moves the anchor, keeps verification green and is itself an event; the retention minimum holds.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appendToChain, chainHead, verifyChain } from "@/lib/audit/chain";
import { eventHash, type AuditEventData } from "@/lib/audit/chain-hash";
import { recordAudit } from "@/lib/audit/record";
import { pruneAuditEvents, readAuditRetention, updateAuditRetention } from "@/lib/audit/retention";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { appErrorOf, auditEvents, contextIn, seedUser, TEST_REQUEST } from "@/lib/testing/seed";

const SYSTEM = { type: "system", label: "chain.int.test" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A team row with no events yet (signUp would write some first). */
async function bareTeam() {
  const slug = `chain-${randomUUID()}`;
  return db().team.create({ data: { slug, name: slug }, select: { id: true, slug: true, name: true } });
}

const record = (teamId: string, n: number) =>
  transaction((tx) =>
    recordAudit(tx, {
      teamId,
      actor: SYSTEM,
      action: "api_key.create",
      targets: [{ type: "api_key", id: randomUUID(), label: `key ${n}` }],
      metadata: { n, nested: { z: 1, a: [true, null, "ü"] } },
      context: TEST_REQUEST,
    }),
  );

async function teamWithEvents(count: number) {
  const team = await bareTeam();
  for (let n = 1; n <= count; n += 1) await record(team.id, n);
  const events = await db().auditEvent.findMany({ where: { teamId: team.id }, orderBy: { seq: "asc" } });
  return { team, events };
}

/** As the database owner, with the append-only trigger out of the way (replica mode skips triggers). */
const asOwner = (sql: string, ...values: unknown[]) =>
  transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
    await tx.$executeRawUnsafe(sql, ...values);
  });

describe("the audit hash chain", () => {
  it("stays one unforked chain with contiguous seq under 20 parallel writers in one team", async () => {
    const team = await bareTeam();
    await Promise.all(Array.from({ length: 20 }, (_, n) => record(team.id, n)));
    const events = await db().auditEvent.findMany({ where: { teamId: team.id }, orderBy: { seq: "asc" } });
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    for (const [i, event] of events.entries()) expect(event.prevHash).toBe(i === 0 ? null : events[i - 1]!.hash);
    const head = await chainHead(team.id);
    expect(head).toMatchObject({ seq: 20, hash: events[19]!.hash });
    expect(await verifyChain(team.id)).toMatchObject({
      ok: true,
      count: 20,
      verifiedThrough: { seq: 20, eventId: events[19]!.id },
    });
  });

  it("hashes the row as stored: createdAt, targets and metadata read back give the same hash", async () => {
    const { events } = await teamWithEvents(1);
    const [event] = events;
    expect(eventHash({ ...event!, seq: event!.seq!, targets: event!.targets!, metadata: event!.metadata! })).toBe(
      event!.hash,
    );
  });

  it("names the event whose stored content was changed", async () => {
    const { team, events } = await teamWithEvents(5);
    await asOwner(`UPDATE "AuditEvent" SET "actorLabel" = 'someone else' WHERE id = $1::uuid`, events[2]!.id);
    expect(await verifyChain(team.id)).toMatchObject({
      ok: false,
      brokenAt: { seq: 3, eventId: events[2]!.id },
      reason: expect.stringMatching(/changed/),
    });
  });

  it("names the event that was removed (its seq, and the event after the gap)", async () => {
    const { team, events } = await teamWithEvents(5);
    await asOwner(`DELETE FROM "AuditEvent" WHERE id = $1::uuid`, events[1]!.id);
    expect(await verifyChain(team.id)).toMatchObject({
      ok: false,
      brokenAt: { seq: 2, eventId: events[2]!.id },
      reason: expect.stringMatching(/missing/),
    });
  });

  it("notices the last event removed: the head no longer matches", async () => {
    const { team, events } = await teamWithEvents(3);
    await asOwner(`DELETE FROM "AuditEvent" WHERE id = $1::uuid`, events[2]!.id);
    expect(await verifyChain(team.id)).toMatchObject({ ok: false, reason: expect.stringMatching(/head is at seq 3/) });
  });

  it("names a forged event slipped in with a valid hash after the head", async () => {
    const { team, events } = await teamWithEvents(3);
    const data: AuditEventData = {
      teamId: team.id,
      actorType: "system",
      actorId: null,
      actorLabel: "forger",
      action: "api_key.revoke",
      targets: [],
      metadata: {},
      ip: null,
      userAgent: null,
    };
    const forged = { ...data, id: randomUUID(), createdAt: new Date(), seq: 4, prevHash: events[2]!.hash };
    // Without the triggers the head stays behind; with them, a row that does not link is refused outright.
    await expect(
      db().auditEvent.create({ data: { ...forged, seq: 5, hash: eventHash({ ...forged, seq: 5 }) } }),
    ).rejects.toThrow(/does not follow the head/);
    await transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      await tx.auditEvent.create({ data: { ...forged, hash: eventHash(forged) } });
    });
    expect(await verifyChain(team.id)).toMatchObject({
      ok: false,
      brokenAt: { seq: 4, eventId: forged.id },
      reason: expect.stringMatching(/beyond the published head/),
    });
  });

  it("names a forged event slipped in between two others (the owner dropped the unique seq index)", async () => {
    const { team, events } = await teamWithEvents(3);
    // Sorts after the genuine event at seq 2 (ids order rows within a seq), so it is the one out of place.
    const id = `ffffffff-ffff-4fff-bfff-${randomUUID().slice(-12)}`;
    await db().$executeRawUnsafe(`DROP INDEX "AuditEvent_teamId_seq_key"`);
    try {
      await asOwner(
        `INSERT INTO "AuditEvent" (id, "teamId", "actorType", action, seq, "prevHash", hash, "createdAt")
         VALUES ($1::uuid, $2::uuid, 'system', 'api_key.revoke', 2, $3, $4, now())`,
        id,
        team.id,
        events[0]!.hash,
        "f".repeat(64),
      );
      expect(await verifyChain(team.id)).toMatchObject({
        ok: false,
        brokenAt: { seq: 2, eventId: id },
        reason: "seq used twice",
      });
    } finally {
      await asOwner(`DELETE FROM "AuditEvent" WHERE id = $1::uuid`, id);
      await db().$executeRawUnsafe(`CREATE UNIQUE INDEX "AuditEvent_teamId_seq_key" ON "AuditEvent"("teamId", "seq")`);
    }
    expect(await verifyChain(team.id)).toMatchObject({ ok: true, count: 3 });
  });

  it("refuses a team event without a place in the chain", async () => {
    const team = await bareTeam();
    await expect(
      db().$executeRawUnsafe(
        `INSERT INTO "AuditEvent" (id, "teamId", "actorType", action) VALUES ($1::uuid, $2::uuid, 'system', 'team.rename')`,
        randomUUID(),
        team.id,
      ),
    ).rejects.toThrow(/needs its place in the chain/);
  });

  it("accepts events numbered by the migration before the chain existed, and notices one of them removed", async () => {
    const team = await bareTeam();
    const ids = [randomUUID(), randomUUID()];
    // What the migration leaves: pre-chain rows numbered 1…legacyThrough without hashes, and the head there.
    await transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      for (const [i, id] of ids.entries())
        await tx.$executeRawUnsafe(
          `INSERT INTO "AuditEvent" (id, "teamId", "actorType", action, seq) VALUES ($1::uuid, $2::uuid, 'system', 'team.rename', $3)`,
          id,
          team.id,
          i + 1,
        );
      await tx.$executeRawUnsafe(
        `INSERT INTO "AuditChainHead" ("teamId", seq, "legacyThrough") VALUES ($1::uuid, 2, 2)`,
        team.id,
      );
    });
    await record(team.id, 3);
    expect(await verifyChain(team.id)).toMatchObject({ ok: true, count: 3, verifiedThrough: { seq: 3 } });
    await asOwner(`DELETE FROM "AuditEvent" WHERE id = $1::uuid`, ids[0]);
    expect(await verifyChain(team.id)).toMatchObject({ ok: false, brokenAt: { seq: 1, eventId: ids[1] } });
  });

  it("leaves user-level events (no team) out of every chain", async () => {
    const userId = randomUUID();
    await transaction((tx) =>
      recordAudit(tx, {
        teamId: null,
        actor: { type: "user", id: userId, label: "u" },
        action: "user.password_change",
        context: TEST_REQUEST,
      }),
    );
    const event = await db().auditEvent.findFirstOrThrow({ where: { actorId: userId } });
    expect(event).toMatchObject({ seq: null, prevHash: null, hash: null });
  });
});

describe("retention", () => {
  it("prunes events older than the period, keeps verify green and records audit.prune", async () => {
    const team = await bareTeam();
    const old = new Date(Date.now() - 500 * DAY_MS);
    for (let n = 0; n < 4; n += 1)
      await transaction(async (tx) => {
        const data: AuditEventData = {
          teamId: team.id,
          actorType: "system",
          actorId: null,
          actorLabel: "old",
          action: "team.rename",
          targets: [],
          metadata: { n },
          ip: null,
          userAgent: null,
        };
        await tx.auditEvent.create({ data: await appendToChain(tx, data, new Date(old.getTime() + n)) });
      });
    await record(team.id, 5);
    await record(team.id, 6);
    expect(await verifyChain(team.id)).toMatchObject({ ok: true, count: 6 });

    expect(await pruneAuditEvents(team.id, new Date())).toBe(4);
    const left = await db().auditEvent.findMany({ where: { teamId: team.id }, orderBy: { seq: "asc" } });
    expect(left.map((event) => [event.seq, event.action])).toEqual([
      [5, "api_key.create"],
      [6, "api_key.create"],
      [7, "audit.prune"],
    ]);
    expect(left[2]!.metadata).toMatchObject({ count: 4, retentionDays: 400 });
    expect(await verifyChain(team.id)).toMatchObject({ ok: true, count: 3, verifiedThrough: { seq: 7 } });
    // Nothing more to prune: no second event.
    expect(await pruneAuditEvents(team.id, new Date())).toBe(0);
    expect(await auditEvents(team.id, "audit.prune")).toHaveLength(1);
  });

  it("never deletes anything younger than 90 days, even with the prune flag set by hand", async () => {
    const { team, events } = await teamWithEvents(2);
    await expect(
      transaction(async (tx) => {
        await tx.$executeRawUnsafe("SELECT set_config('keyward.audit_prune', 'on', true)");
        await tx.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE id = $1::uuid`, events[0]!.id);
      }),
    ).rejects.toThrow(/append-only: DELETE/);
    // Asked to prune up to now, the function stops at 90 days ago.
    const pruned = await db().$queryRawUnsafe(`SELECT "audit_prune"($1::uuid, now()::timestamp(3))::int AS n`, team.id);
    expect(pruned).toEqual([{ n: 0 }]);
    expect(await verifyChain(team.id)).toMatchObject({ ok: true, count: 2 });
  });

  it("sets the period (audited with from/to) and refuses less than 90 days", async () => {
    const owner = await seedUser("chain-retention");
    const ctx = await contextIn(owner, owner.team, "api_keys.policy");
    expect(await readAuditRetention(ctx)).toBe(400);
    const error = await appErrorOf(updateAuditRetention(ctx, 89));
    expect(error.code).toBe("unprocessable");
    expect(error.fieldErrors).toMatchObject({ days: [expect.stringMatching(/at least 90 days/)] });
    expect(await readAuditRetention(ctx)).toBe(400);
    await updateAuditRetention(ctx, 90);
    expect(await readAuditRetention(ctx)).toBe(90);
    const [event] = await auditEvents(owner.team.id, "audit.retention_update");
    expect(event).toMatchObject({ actorId: owner.user.id, metadata: { from: 400, to: 90 } });
    expect(await verifyChain(owner.team.id)).toMatchObject({ ok: true });
  });
});
