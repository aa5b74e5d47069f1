// Login auditing: every sign-in attempt and account-security change, with time, IP (the edge's, see
// request-context.ts), user agent and an internal reason the person signing in never sees.
import type { RequestContext } from "@/lib/audit/record";
import { db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SignInEventKind } from "@/lib/generated/prisma/enums";

/** How long sign-in rows are kept: 180 days covers a half-year security review (ASVS asks for a defined period). */
export const SIGN_IN_EVENT_RETENTION_DAYS = 180;

export type SignInEventInput = {
  userId: string | null;
  sessionId?: string | null;
  kind: SignInEventKind;
  reason?: string;
  request: RequestContext;
  metadata?: Prisma.InputJsonObject;
};

type Writer = Tx | ReturnType<typeof db>;

export async function recordSignInEvent(client: Writer, input: SignInEventInput): Promise<void> {
  await client.signInEvent.create({
    data: {
      userId: input.userId,
      sessionId: input.sessionId ?? null,
      kind: input.kind,
      reason: input.reason ?? null,
      ip: input.request.ip,
      userAgent: input.request.userAgent?.slice(0, 512) ?? null,
      metadata: input.metadata,
    },
  });
}

export type SignInEventView = {
  id: string;
  kind: SignInEventKind;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  metadata: Prisma.JsonValue;
};

const viewSelect = { id: true, kind: true, ip: true, userAgent: true, createdAt: true, metadata: true } as const;

/** A user's own recent events, newest first (the internal reason stays internal). */
export async function listSignInEvents(userId: string, take = 50): Promise<SignInEventView[]> {
  return db().signInEvent.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take, select: viewSelect });
}

/** Whether this user has signed in before from this browser (user agent) and IP. */
export async function isKnownDevice(userId: string, request: RequestContext): Promise<boolean> {
  const seen = await db().signInEvent.findFirst({
    where: {
      userId,
      kind: "success",
      ip: request.ip,
      userAgent: request.userAgent?.slice(0, 512) ?? null,
    },
    select: { id: true },
  });
  return seen !== null;
}

/** Deletes rows older than the retention period; returns how many. */
export async function pruneSignInEvents(now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - SIGN_IN_EVENT_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const { count } = await db().signInEvent.deleteMany({ where: { createdAt: { lt: cutoff } } });
  return count;
}
