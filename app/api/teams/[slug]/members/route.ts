// GET /api/teams/[slug]/members — the team's members (session auth; management keys come with member keys).
import { toPublicMember } from "@/lib/api/schemas/members";
import { withTeam } from "@/lib/api/with-team";
import { listMembers } from "@/lib/teams/members";

export const GET = withTeam(
  async (_request, ctx) => {
    return Response.json({ data: (await listMembers(ctx)).map(toPublicMember) });
  },
  { permission: "members.read" },
);
