// GET /api/teams/[slug]/audit-events — one page of the team's audit timeline (audit.read).
import { auditListQuerySchema, filtersOf } from "@/lib/api/paths/audit";
import { withTeam } from "@/lib/api/with-team";
import { exportRecord } from "@/lib/audit/export";
import { listTimeline } from "@/lib/audit/timeline";

export const GET = withTeam(
  async (request, ctx) => {
    const query = auditListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const page = await listTimeline(ctx, {
      filters: filtersOf(query),
      cursor: query.cursor,
      direction: query.direction,
      limit: query.limit,
    });
    return Response.json({
      data: page.items.map(exportRecord),
      olderCursor: page.olderCursor,
      newerCursor: page.newerCursor,
    });
  },
  { permission: "audit.read" },
);
