// The team's key policy: read it, and change it (audited). Keys already issued keep their scopes; the
// policy bounds every key created or edited afterwards.
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import type { TeamKeyPolicy } from "@/lib/keys/policy";
import { teamPolicy } from "@/lib/keys/store";
import type { TeamContext } from "@/lib/teams/context";

export async function readTeamKeyPolicy(ctx: Pick<TeamContext, "team">): Promise<TeamKeyPolicy> {
  return teamPolicy(ctx.team.id);
}

export async function updateTeamKeyPolicy(ctx: TeamContext, policy: TeamKeyPolicy): Promise<void> {
  await db().$transaction(async (tx) => {
    const before = await teamPolicy(ctx.team.id, tx);
    await tx.team.update({ where: { id: ctx.team.id }, data: { keyPolicy: policy } });
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
