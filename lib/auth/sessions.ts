// Server-side session rows: what makes a JWT cookie revocable.
import { randomUUID } from "node:crypto";
import type { RequestContext } from "@/lib/audit/record";
import { db, type Tx } from "@/lib/db/client";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
// lastSeenAt is informational; writing it at most every few minutes keeps page loads free of writes.
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export async function createSession(userId: string, context: RequestContext) {
  return db().userSession.create({
    data: {
      id: randomUUID(),
      userId,
      expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
      ip: context.ip,
      userAgent: context.userAgent?.slice(0, 512) ?? null,
    },
  });
}

export type SessionUser = { id: string; email: string; name: string };
export type ActiveSession = { sessionId: string; user: SessionUser };

/** The live session row for a cookie's (sessionId, userId), or null when revoked, expired or unknown. */
export async function findActiveSession(sessionId: string, userId: string): Promise<ActiveSession | null> {
  const row = await db().userSession.findFirst({
    where: { id: sessionId, userId, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, lastSeenAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db().userSession.update({ where: { id: row.id }, data: { lastSeenAt: new Date() } });
  }
  return { sessionId: row.id, user: row.user };
}

export async function revokeSession(sessionId: string): Promise<void> {
  await db().userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Ends every session of a user except, optionally, the one making the request. */
export async function revokeUserSessions(tx: Tx, userId: string, keep?: string): Promise<number> {
  const { count } = await tx.userSession.updateMany({
    where: { userId, revokedAt: null, ...(keep ? { id: { not: keep } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}

export async function listActiveSessions(userId: string) {
  return db().userSession.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true },
  });
}
