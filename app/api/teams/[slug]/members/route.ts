// GET /api/teams/[slug]/members — the team's members (session auth; management keys come with member keys).
import { withTeam } from "@/lib/api/with-team";
import { listMembers } from "@/lib/teams/members";

export const GET = withTeam(
  async (_request, ctx) => {
    const members = await listMembers(ctx);
    return Response.json({
      data: members.map((m) => ({ id: m.id, role: m.role, joinedAt: m.createdAt.toISOString(), user: m.user })),
    });
  },
  { permission: "members.read" },
);
