// Tamper evidence: each team's audit events form a hash chain. Every row stores its position (seq), its
// predecessor's hash and its own SHA-256 over a canonical encoding of the row, all computed in the writing
// transaction. Writers of one team serialize on the team's AuditChainHead row (SELECT … FOR UPDATE, held
// until commit), so parallel transactions never fork the chain. User-level events (teamId null) belong to
// no team's log and are not chained.
//
// What it proves: the head (seq + hash) is published (team page, `keyward audit head`); anyone who noted it
// can later check that no event up to it was changed, removed or slipped in, even by the database owner
// bypassing the append-only trigger — recomputing the whole chain would change the head they noted.
import { randomBytes } from "node:crypto";
import { db, type Tx } from "@/lib/db/client";
import type { AuditEvent, Prisma } from "@/lib/generated/prisma/client";
import { eventHash, type AuditEventData, type ChainedRow } from "./chain-hash";
import type { TeamContext } from "@/lib/teams/context";

/** A version 7 UUID (time-ordered, like the column's default): the id is hashed, so the app sets it. */
function uuidv7(at: Date): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(at.getTime(), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Locks the team's chain head until the transaction ends, creating it on the team's first event. */
async function lockHead(tx: Tx, teamId: string): Promise<{ seq: number; hash: string | null }> {
  const select = () =>
    tx.$queryRaw<{ seq: number; hash: string | null }[]>`
      SELECT "seq", "hash" FROM "AuditChainHead" WHERE "teamId" = ${teamId}::uuid FOR UPDATE`;
  const [head] = await select();
  if (head) return head;
  await tx.$executeRaw`
    INSERT INTO "AuditChainHead" ("teamId") VALUES (${teamId}::uuid) ON CONFLICT ("teamId") DO NOTHING`;
  const [created] = await select();
  if (!created) throw new Error("audit chain head vanished");
  return created;
}

// Only bench/audit-chain.ts turns the chain off, in its own scratch database (with the trigger that refuses
// unchained team events disabled), to measure what the chain costs a key creation.
let chainOn = true;
export function setChainForBenchmark(on: boolean): void {
  chainOn = on;
}

/**
 * The event's row with its place in the team's chain: id, createdAt, seq, prevHash and hash, with the head
 * locked until commit (the insert moves the head on). `at` is for tests that need old events; the app never
 * passes it.
 */
export async function appendToChain<T extends AuditEventData>(tx: Tx, data: T, at?: Date) {
  if (data.teamId === null || !chainOn) return data;
  const head = await lockHead(tx, data.teamId);
  // After the lock, so that createdAt follows seq as closely as the clock allows.
  const createdAt = at ?? new Date();
  // Hashed as jsonb will give it back: what JSON cannot carry (undefined, -0, …) is dropped or normalized.
  const row: ChainedRow = {
    ...data,
    targets: JSON.parse(JSON.stringify(data.targets)) as Prisma.InputJsonValue,
    metadata: JSON.parse(JSON.stringify(data.metadata)) as Prisma.InputJsonValue,
    id: uuidv7(createdAt),
    createdAt,
    seq: head.seq + 1,
    prevHash: head.hash,
  };
  // The insert moves the head on (trigger "AuditEvent_chain_advance", which also checks the link).
  const hash = eventHash(row);
  return { ...data, id: row.id, createdAt, seq: row.seq, prevHash: row.prevHash, hash };
}

export type ChainHead = { seq: number; hash: string | null; at: Date };

/** The team's published head: the last event's seq and hash (seq 0 and no hash before the first event). */
export async function chainHead(teamId: string): Promise<ChainHead> {
  const head = await db().auditChainHead.findUnique({ where: { teamId } });
  return head ? { seq: head.seq, hash: head.hash, at: head.updatedAt } : { seq: 0, hash: null, at: new Date(0) };
}

/** For the audit page (the door checks "audit.read"). */
export async function teamChainHead(ctx: Pick<TeamContext, "team">): Promise<ChainHead> {
  return chainHead(ctx.team.id);
}

export type ChainVerification =
  | { ok: true; count: number; verifiedThrough: { seq: number; eventId: string | null }; head: ChainHead }
  | { ok: false; brokenAt: { seq: number | null; eventId: string | null }; reason: string; head: ChainHead };

const VERIFY_BATCH = 1000;

/**
 * Walks the team's events in seq order, batch by batch (constant memory), and reports the first broken link:
 * a row whose content no longer matches its hash (changed), a seq gap (removed), a row before the anchor,
 * twice at one seq or beyond the head (slipped in), a prevHash that is not its predecessor's hash, or a head
 * that is not the last event. Pruned events are before the anchor (prunedThrough, anchorHash); events from
 * before the chain existed (seq ≤ legacyThrough) are checked for presence and order only.
 */
export async function verifyChain(teamId: string): Promise<ChainVerification> {
  const row = await db().auditChainHead.findUnique({ where: { teamId } });
  const head: ChainHead = row ? { seq: row.seq, hash: row.hash, at: row.updatedAt } : await chainHead(teamId);
  const broken = (seq: number | null, eventId: string | null, reason: string): ChainVerification => ({
    ok: false,
    brokenAt: { seq, eventId },
    reason,
    head,
  });
  // A team row outside the chain can only have been written with the triggers bypassed.
  const unchained = await db().auditEvent.findFirst({ where: { teamId, seq: null }, select: { id: true } });
  if (unchained) return broken(null, unchained.id, "event has no place in the chain (no seq)");

  const legacyThrough = row?.legacyThrough ?? 0;
  let expectedSeq = (row?.prunedThrough ?? 0) + 1;
  let expectedPrev = row?.anchorHash ?? null;
  let last: { seq: number; eventId: string | null } = { seq: expectedSeq - 1, eventId: null };
  let after: { seq: number; id: string } | null = null;
  let count = 0;
  for (;;) {
    const events: AuditEvent[] = await db().auditEvent.findMany({
      // Keyset on (seq, id) from the very first row, so rows before the anchor or at a used seq are seen too.
      where: after
        ? { teamId, OR: [{ seq: { gt: after.seq } }, { seq: after.seq, id: { gt: after.id } }] }
        : { teamId },
      orderBy: [{ seq: "asc" }, { id: "asc" }],
      take: VERIFY_BATCH,
    });
    for (const event of events) {
      const seq = event.seq!;
      if (seq < expectedSeq)
        return broken(seq, event.id, seq <= (row?.prunedThrough ?? 0) ? "event before the anchor" : "seq used twice");
      if (seq > expectedSeq)
        return broken(expectedSeq, event.id, `event${seq - expectedSeq > 1 ? "s" : ""} missing before this one`);
      if (seq > head.seq) return broken(seq, event.id, "event beyond the published head");
      if (seq <= legacyThrough) {
        if (event.hash !== null || event.prevHash !== null) return broken(seq, event.id, "pre-chain event with a hash");
      } else {
        if (event.prevHash !== expectedPrev) return broken(seq, event.id, "prevHash is not the previous event's hash");
        if (event.hash !== eventHash({ ...event, seq, targets: event.targets!, metadata: event.metadata! }))
          return broken(seq, event.id, "event changed: its content does not match its hash");
      }
      expectedPrev = event.hash;
      expectedSeq = seq + 1;
      last = { seq, eventId: event.id };
      after = { seq, id: event.id };
      count += 1;
    }
    if (events.length < VERIFY_BATCH) break;
  }
  if (last.seq !== head.seq || expectedPrev !== head.hash)
    return broken(last.seq, last.eventId, `the head is at seq ${head.seq}, the last event at ${last.seq}`);
  return { ok: true, count, verifiedThrough: last, head };
}

/** For the audit page's "Verify" button (the door checks "audit.read"). */
export async function verifyTeamChain(ctx: Pick<TeamContext, "team">): Promise<ChainVerification> {
  return verifyChain(ctx.team.id);
}
