// GET /api/teams/[slug]/audit-events/export?format=csv|jsonl — the filtered timeline as a streamed download.
import { auditExportQuerySchema, filtersOf } from "@/lib/api/paths/audit";
import { withTeam } from "@/lib/api/with-team";
import { exportResponse } from "@/lib/audit/export";

export const GET = withTeam(
  async (request, ctx) => {
    const query = auditExportQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    return exportResponse(ctx, filtersOf(query), query.format);
  },
  { permission: "audit.read" },
);
