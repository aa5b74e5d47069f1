// The team's rotation policy: read it, and change it (audited). Reminders, badges and expiry follow it from
// the next sweep and page load on; keys keep their own shorter periods where they have one.
import { recordAudit } from "@/lib/audit/record";
import { transaction } from "@/lib/db/transaction";
import type { TeamContext, TeamScope } from "@/lib/teams/context";
import { teamRotationPolicy } from "./due";
import { rotationPolicySchema, type RotationPolicy, type RotationPolicyInput } from "./policy";

export function readRotationPolicyOf(ctx: Pick<TeamContext, "team">): Promise<RotationPolicy> {
  return teamRotationPolicy(ctx.team.id);
}

export async function updateRotationPolicy(ctx: TeamScope, input: RotationPolicyInput): Promise<RotationPolicy> {
  const policy = rotationPolicySchema.parse(input);
  await transaction(async (tx) => {
    const before = await teamRotationPolicy(ctx.team.id, tx);
    // key-state: unaffected — the rotation policy is read by the sweep and the pages, never by the proxy
    await tx.team.update({ where: { id: ctx.team.id }, data: { rotationPolicy: policy } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "team.rotation_policy_update",
      targets: [{ type: "team", id: ctx.team.id, label: ctx.team.name }],
      metadata: { before, after: policy },
      context: ctx.request,
    });
  });
  return policy;
}
