// POST /api/teams/[slug]/upstream-keys/[id]/check — decrypt a stored key in memory and ask the upstream about it.
import { teamItemParamsSchema } from "@/lib/api/schemas/common";
import { withTeam } from "@/lib/api/with-team";
import { recheckUpstreamKey } from "@/lib/upstream/keys";

export const POST = withTeam<{ slug: string; id: string }>(
  async (_request, ctx, params) =>
    Response.json({ data: await recheckUpstreamKey(ctx, teamItemParamsSchema.shape.id.parse(params.id)) }),
  { permission: "upstream_keys.write" },
);
