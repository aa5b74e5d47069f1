// Server-side session rows: what makes a JWT cookie revocable.
import { randomUUID } from "node:crypto";
import type { RequestContext } from "@/lib/audit/record";
import { db, type Tx } from "@/lib/db/client";
import { sessionIdleMinutes } from "@/lib/env";

// Timeouts after OWASP ASVS 4.0.3 V3.3 and NIST SP 800-63B AAL2: a session ends 30 minutes after its last use
// (SESSION_IDLE_MINUTES) and 30 days after sign-in whatever happens. Both are checked on the server row, so
// neither depends on the cookie's own expiry.
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** A session waiting for its second factor lives this long at most. */
export const PENDING_SESSION_SECONDS = 10 * 60;
/** Step-up: a dangerous action needs the password or a code entered within this window. */
export const REAUTHENTICATION_WINDOW_MS = 10 * 60 * 1000;
// lastSeenAt also drives the idle timeout; writing it at most every minute keeps most page loads free of writes.
const TOUCH_INTERVAL_MS = 60 * 1000;

export function idleTimeoutMs(): number {
  return sessionIdleMinutes() * 60 * 1000;
}

export async function createSession(
  userId: string,
  context: RequestContext,
  options: { pending?: boolean; now?: Date; client?: Tx } = {},
) {
  const now = options.now ?? new Date();
  const pending = options.pending ?? false;
  return (options.client ?? db()).userSession.create({
    data: {
      id: randomUUID(),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + (pending ? PENDING_SESSION_SECONDS : SESSION_MAX_AGE_SECONDS) * 1000),
      ip: context.ip,
      userAgent: context.userAgent?.slice(0, 512) ?? null,
      secondFactorPending: pending,
      // The sign-in itself was a password (and code) entry: step-up starts satisfied.
      reauthenticatedAt: pending ? null : now,
    },
  });
}

export type SessionUser = { id: string; email: string; name: string };
export type ActiveSession = {
  sessionId: string;
  user: SessionUser;
  /** When the password or a code was last entered in this session (step-up). */
  reauthenticatedAt: Date | null;
};

/**
 * The live session row for a cookie's (sessionId, userId), or null when revoked, expired, idle too long or
 * unknown. A session still owing its second factor is `pending` and is found only when asked for.
 */
export async function findActiveSession(
  sessionId: string,
  userId: string,
  options: { pending?: boolean; now?: Date } = {},
): Promise<ActiveSession | null> {
  const now = options.now ?? new Date();
  const row = await db().userSession.findFirst({
    where: {
      id: sessionId,
      userId,
      revokedAt: null,
      expiresAt: { gt: now },
      lastSeenAt: { gt: new Date(now.getTime() - idleTimeoutMs()) },
      secondFactorPending: options.pending ?? false,
    },
    select: {
      id: true,
      lastSeenAt: true,
      reauthenticatedAt: true,
      user: { select: { id: true, email: true, name: true } },
    },
  });
  // The relation is read by a second query: a user deleted in between (and their sessions with them) leaves
  // the row without its user, whatever the type says. That is a session that no longer exists.
  const user = row?.user as ActiveSession["user"] | null | undefined;
  if (!row || !user) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    // updateMany: the session may have been deleted since it was read; touching nothing is fine.
    await db().userSession.updateMany({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  return { sessionId: row.id, user, reauthenticatedAt: row.reauthenticatedAt };
}

/** Step-up is satisfied when the password or a code was entered in this session within the last 10 minutes. */
export function recentlyReauthenticated(session: Pick<ActiveSession, "reauthenticatedAt">, now = new Date()): boolean {
  return (
    session.reauthenticatedAt !== null &&
    now.getTime() - session.reauthenticatedAt.getTime() < REAUTHENTICATION_WINDOW_MS
  );
}

export async function markReauthenticated(sessionId: string, now = new Date()): Promise<void> {
  await db().userSession.update({ where: { id: sessionId }, data: { reauthenticatedAt: now } });
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

export async function listActiveSessions(userId: string, now = new Date()) {
  return db().userSession.findMany({
    where: {
      userId,
      revokedAt: null,
      secondFactorPending: false,
      expiresAt: { gt: now },
      lastSeenAt: { gt: new Date(now.getTime() - idleTimeoutMs()) },
    },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, ip: true, userAgent: true },
  });
}

/** Ends one of the user's own sessions (the Security page); false when it is not theirs or already over. */
export async function endOwnSession(userId: string, sessionId: string): Promise<boolean> {
  const { count } = await db().userSession.updateMany({
    where: { id: sessionId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}
