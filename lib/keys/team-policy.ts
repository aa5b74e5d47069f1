// The team's key policy: read it, and change it (audited). It bounds every key created or edited afterwards,
// and it is a ceiling on the keys already issued: a change reaches every node's key cache before it answers,
// so the next request of a wider key is narrowed (lib/keys/policy.ts effectiveScopes).
import { recordAudit } from "@/lib/audit/record";
import { transaction } from "@/lib/db/transaction";
import { notifyKeyChange } from "@/lib/keys/invalidation";
import type { TeamKeyPolicy } from "@/lib/keys/policy";
import { teamPolicy } from "@/lib/keys/store";
import type { TeamContext, TeamScope } from "@/lib/teams/context";

export async function readTeamKeyPolicy(ctx: Pick<TeamContext, "team">): Promise<TeamKeyPolicy> {
  return teamPolicy(ctx.team.id);
}

/** From the dashboard, the API (a member's context) or the operator CLI (a TeamScope, acting as the system). */
export async function updateTeamKeyPolicy(ctx: TeamScope, policy: TeamKeyPolicy): Promise<void> {
  await transaction(async (tx) => {
    const before = await teamPolicy(ctx.team.id, tx);
    await tx.team.update({ where: { id: ctx.team.id }, data: { keyPolicy: policy } });
    await notifyKeyChange(tx, { teamId: ctx.team.id });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "team.key_policy_update",
      targets: [{ type: "team", id: ctx.team.id, label: ctx.team.name }],
      metadata: { before, after: policy },
      context: ctx.request,
    });
  });
}
