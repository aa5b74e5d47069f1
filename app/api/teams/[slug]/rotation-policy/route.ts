// GET, PUT /api/teams/[slug]/rotation-policy — read or replace the team's key rotation policy.
import { readJson } from "@/lib/api/schemas/common";
import { withTeam } from "@/lib/api/with-team";
import { rotationPolicyOutputSchema, rotationPolicySchema } from "@/lib/rotation/policy";
import { readRotationPolicyOf, updateRotationPolicy } from "@/lib/rotation/team-policy";

// Every member sees when their keys are due, so reading the policy needs no more than membership.
export const GET = withTeam(
  async (_request, ctx) => Response.json({ data: rotationPolicyOutputSchema.parse(await readRotationPolicyOf(ctx)) }),
  { permission: "team.read" },
);

export const PUT = withTeam(
  async (request, ctx) => {
    const input = rotationPolicySchema.parse(await readJson(request));
    return Response.json({ data: rotationPolicyOutputSchema.parse(await updateRotationPolicy(ctx, input)) });
  },
  { permission: "api_keys.policy" },
);
