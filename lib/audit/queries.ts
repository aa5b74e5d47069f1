// Reading the audit trail of one team (the team id is always in the where).
import { db } from "@/lib/db/client";
import type { TeamContext } from "@/lib/teams/context";

export async function recentAuditEvents(ctx: Pick<TeamContext, "team">, take = 10) {
  return db().auditEvent.findMany({
    where: { teamId: ctx.team.id },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, action: true, actorLabel: true, targets: true, metadata: true, createdAt: true },
  });
}

export type AuditEventRow = Awaited<ReturnType<typeof recentAuditEvents>>[number];
