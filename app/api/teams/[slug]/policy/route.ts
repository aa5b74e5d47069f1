// GET, PUT /api/teams/[slug]/policy — read or replace the team's key policy, the ceiling of every member key.
import { readJson } from "@/lib/api/schemas/common";
import { withTeam } from "@/lib/api/with-team";
import { teamKeyPolicySchema } from "@/lib/keys/policy";
import { readTeamKeyPolicy, updateTeamKeyPolicy } from "@/lib/keys/team-policy";

// Every member sees the policy in the dashboard (it bounds the keys they create), so reading needs no more.
export const GET = withTeam(
  async (_request, ctx) => Response.json({ data: teamKeyPolicySchema.parse(await readTeamKeyPolicy(ctx)) }),
  { permission: "team.read" },
);

export const PUT = withTeam(
  async (request, ctx) => {
    const policy = teamKeyPolicySchema.parse(await readJson(request));
    // Audited, and published to every proxy's key cache before it answers: wider keys are narrowed at once.
    await updateTeamKeyPolicy(ctx, policy);
    return Response.json({ data: teamKeyPolicySchema.parse(await readTeamKeyPolicy(ctx)) });
  },
  { permission: "api_keys.policy" },
);
