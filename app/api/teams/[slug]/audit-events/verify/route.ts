// GET /api/teams/[slug]/audit-events/verify — walks the team's audit hash chain (audit.read).
import { withTeam } from "@/lib/api/with-team";
import { verificationJson } from "@/lib/api/paths/audit";
import { verifyTeamChain } from "@/lib/audit/chain";

export const GET = withTeam(
  async (_request, ctx) => Response.json({ data: verificationJson(await verifyTeamChain(ctx)) }),
  { permission: "audit.read" },
);
