// DELETE /api/teams/[slug]/members/[id] — remove a member (their keys are revoked in the same transaction).
import { teamItemParamsSchema } from "@/lib/api/schemas/common";
import { withTeam } from "@/lib/api/with-team";
import { removeMember } from "@/lib/teams/members";

export const DELETE = withTeam<{ slug: string; id: string }>(
  async (_request, ctx, params) => {
    await removeMember(ctx, teamItemParamsSchema.shape.id.parse(params.id));
    return new Response(null, { status: 204 });
  },
  { permission: "members.remove" },
);
