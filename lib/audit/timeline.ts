// One timeline per team: its audit events and its current members' sign-in events (since they joined),
// newest first, filtered and keyset-paginated on (createdAt, id), never OFFSET. The team id is always in
// the query; a sign-in shows only while its user is a member, and only from the day they joined.
import { db } from "@/lib/db/client";
import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import type { TeamScope } from "@/lib/teams/context";
import { FAILED_ACTIONS } from "./describe";
import { actionsInGroup, type AuditFilters } from "./filters";

export type TimelineItem = {
  source: "audit" | "sign_in";
  id: string;
  createdAt: Date;
  action: string;
  actorId: string | null;
  actorLabel: string | null;
  targets: unknown;
  metadata: unknown;
  ip: string | null;
  userAgent: string | null;
};

type Cursor = { t: string; id: string };

export function encodeCursor(item: Pick<TimelineItem, "createdAt" | "id">): string {
  return Buffer.from(JSON.stringify({ t: item.createdAt.toISOString(), id: item.id })).toString("base64url");
}

export function decodeCursor(text: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (typeof value !== "object" || value === null) return null;
    const { t, id } = value as Record<string, unknown>;
    if (typeof t !== "string" || typeof id !== "string" || Number.isNaN(Date.parse(t))) return null;
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    return { t, id };
  } catch {
    return null;
  }
}

const FAILED_SIGN_IN = [...FAILED_ACTIONS];

function conditions(filters: AuditFilters, source: "audit" | "sign_in"): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filters.group) {
    if (source === "sign_in" && filters.group !== "sign_ins") where.push(Prisma.sql`false`);
    if (source === "audit") where.push(Prisma.sql`action = ANY(${actionsInGroup(filters.group)}::text[])`);
  }
  if (filters.actor) where.push(Prisma.sql`"actorLabel" ILIKE ${`%${filters.actor}%`}`);
  if (filters.target) where.push(Prisma.sql`targets::text ILIKE ${`%${filters.target}%`}`);
  if (filters.outcome) {
    const failed = Prisma.sql`action = ANY(${FAILED_SIGN_IN}::text[])`;
    where.push(
      source === "audit"
        ? filters.outcome === "success"
          ? Prisma.sql`true`
          : Prisma.sql`false`
        : filters.outcome === "failure"
          ? failed
          : Prisma.sql`NOT (${failed})`,
    );
  }
  if (filters.ip)
    // Stored addresses are the normalised client address (or null); the pattern keeps a cast from ever failing.
    where.push(Prisma.sql`ip ~ '^[0-9a-fA-F:.]+$' AND ip::inet <<= ${filters.ip}::inet`);
  if (filters.from)
    where.push(Prisma.sql`"createdAt" >= (${filters.from.toISOString()}::timestamptz AT TIME ZONE 'UTC')`);
  if (filters.to) where.push(Prisma.sql`"createdAt" <= (${filters.to.toISOString()}::timestamptz AT TIME ZONE 'UTC')`);
  return where;
}

// A timeline item's columns from each source (an audit event; a sign-in event "s" of user "u").
const AUDIT_COLUMNS = Prisma.sql`'audit' AS source, id, "createdAt", action, "actorId", "actorLabel", targets,
  metadata, ip, "userAgent"`;
const SIGN_IN_COLUMNS = Prisma.sql`'sign_in' AS source, s.id, s."createdAt", 'sign_in.' || s.kind::text AS action,
  s."userId" AS "actorId", u.email AS "actorLabel", '[]'::jsonb AS targets, COALESCE(s.metadata, '{}'::jsonb) AS metadata,
  s.ip, s."userAgent"`;

/** The team's audit events and its current members' sign-ins since they joined, as one relation. */
function timelineOf(teamId: string): Prisma.Sql {
  return Prisma.sql`(
      SELECT ${AUDIT_COLUMNS} FROM "AuditEvent" WHERE "teamId" = ${teamId}::uuid
      UNION ALL
      SELECT ${SIGN_IN_COLUMNS}
        FROM "SignInEvent" s
        JOIN "Membership" m ON m."userId" = s."userId" AND m."teamId" = ${teamId}::uuid
        JOIN "User" u ON u.id = s."userId"
       WHERE s."createdAt" >= m."createdAt"
    )`;
}

export const timelineRefSchema = z
  .string()
  .regex(/^(audit|sign_in):[0-9a-f-]{36}$/i)
  .transform((text) => {
    const [source, id] = text.split(":") as ["audit" | "sign_in", string];
    return { source, id };
  });

/** "audit:<uuid>": how the page's URL names one entry of the timeline. */
export function timelineRef(item: Pick<TimelineItem, "source" | "id">): string {
  return `${item.source}:${item.id}`;
}

/** One entry of this team's timeline, or null: another team's event (or a non-member's sign-in) is not found. */
export async function getTimelineItem(
  ctx: Pick<TeamScope, "team">,
  ref: { source: "audit" | "sign_in"; id: string },
): Promise<TimelineItem | null> {
  const rows = await db().$queryRaw<TimelineItem[]>`
    SELECT * FROM ${timelineOf(ctx.team.id)} t WHERE source = ${ref.source} AND id = ${ref.id}::uuid LIMIT 1`;
  return rows[0] ?? null;
}

export async function listTimeline(
  ctx: Pick<TeamScope, "team">,
  options: { filters?: AuditFilters; cursor?: string; direction?: "older" | "newer"; limit?: number },
) {
  const filters = options.filters ?? {};
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const newer = options.direction === "newer";
  const cursor = options.cursor ? decodeCursor(options.cursor) : null;
  const keyset = cursor
    ? newer
      ? Prisma.sql`("createdAt", id) > ((${cursor.t}::timestamptz AT TIME ZONE 'UTC'), ${cursor.id}::uuid)`
      : Prisma.sql`("createdAt", id) < ((${cursor.t}::timestamptz AT TIME ZONE 'UTC'), ${cursor.id}::uuid)`
    : Prisma.sql`true`;
  const and = (parts: Prisma.Sql[]) => (parts.length === 0 ? Prisma.sql`true` : Prisma.join(parts, " AND "));
  const order = newer ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  // Each source is read in index order and cut at limit + 1 before the two are merged: the team's audit
  // events on (teamId, createdAt, id), each member's sign-ins on (userId, createdAt, id). A filter is applied
  // inside its branch, so the first page of 400,000 events reads a few hundred index entries, never all.
  const fetch = limit + 1;
  const rows = await db().$queryRaw<TimelineItem[]>`
    SELECT * FROM (
      (SELECT * FROM (
          SELECT ${AUDIT_COLUMNS} FROM "AuditEvent" WHERE "teamId" = ${ctx.team.id}::uuid
        ) a
        WHERE ${keyset} AND ${and(conditions(filters, "audit"))}
        ORDER BY "createdAt" ${order}, id ${order}
        LIMIT ${fetch})
      UNION ALL
      (SELECT x.* FROM "Membership" m
        CROSS JOIN LATERAL (
          SELECT * FROM (
            SELECT ${SIGN_IN_COLUMNS}
              FROM "SignInEvent" s JOIN "User" u ON u.id = s."userId"
             WHERE s."userId" = m."userId" AND s."createdAt" >= m."createdAt"
          ) i
          WHERE ${keyset} AND ${and(conditions(filters, "sign_in"))}
          ORDER BY "createdAt" ${order}, id ${order}
          LIMIT ${fetch}
        ) x
        WHERE m."teamId" = ${ctx.team.id}::uuid)
    ) t
    ORDER BY "createdAt" ${order}, id ${order}
    LIMIT ${fetch}`;
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (newer) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  return {
    items: page,
    olderCursor: last && (newer || more) ? encodeCursor(last) : null,
    newerCursor: first && (newer ? more : Boolean(cursor)) ? encodeCursor(first) : null,
  };
}
