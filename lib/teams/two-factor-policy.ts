// The team policy "2FA required" (GitHub's model): owners turn it on, with an optional grace period. After
// the grace period a member without 2FA can open no page of the team but the enrolment prompt, and their team
// actions and management API calls are refused (two_factor_required). Their member keys stop too, unless
// the owner chose to keep them working: stopping them is the default, because a key is only as trustworthy
// as the account that holds it, and a stolen password must not keep a working key. The proxy learns of both
// kinds of change (policy, a user's 2FA state) through the one key-change path, like a revocation.
import { AppError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { db, type Tx } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { notifyKeyChange } from "@/lib/keys/invalidation";
import type { TeamContext } from "@/lib/teams/context";

const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_GRACE_DAYS = 90;

export type TwoFactorPolicy = { required: boolean; graceDays: number; keysKeepWorking: boolean };
export type TeamTwoFactorState = {
  twoFactorRequiredAt: Date | null;
  twoFactorGraceDays: number;
  twoFactorKeysKeepWorking: boolean;
};

/** When members without 2FA are shut out: null while the policy is off. */
export function twoFactorDeadline(team: TeamTwoFactorState): Date | null {
  if (!team.twoFactorRequiredAt) return null;
  return new Date(team.twoFactorRequiredAt.getTime() + team.twoFactorGraceDays * DAY_MS);
}

export type Compliance = { state: "ok" } | { state: "grace"; until: Date } | { state: "blocked" };

export function twoFactorCompliance(team: TeamTwoFactorState, userHasTwoFactor: boolean, now: Date): Compliance {
  const deadline = twoFactorDeadline(team);
  if (!deadline || userHasTwoFactor) return { state: "ok" };
  return deadline > now ? { state: "grace", until: deadline } : { state: "blocked" };
}

/** Throws two_factor_required when this user may not act in this team now. The tenant door calls it. */
export async function assertTwoFactorCompliance(teamId: string, userId: string, now = new Date()): Promise<Compliance> {
  const [team, user] = await Promise.all([
    db().team.findUniqueOrThrow({
      where: { id: teamId },
      select: { twoFactorRequiredAt: true, twoFactorGraceDays: true, twoFactorKeysKeepWorking: true },
    }),
    db().user.findUniqueOrThrow({ where: { id: userId }, select: { totpEnabledAt: true } }),
  ]);
  const compliance = twoFactorCompliance(team, user.totpEnabledAt !== null, now);
  if (compliance.state === "blocked") throw new AppError("two_factor_required");
  return compliance;
}

export async function readTwoFactorPolicy(
  ctx: Pick<TeamContext, "team">,
): Promise<TwoFactorPolicy & { requiredAt: Date | null }> {
  const team = await db().team.findUniqueOrThrow({
    where: { id: ctx.team.id },
    select: { twoFactorRequiredAt: true, twoFactorGraceDays: true, twoFactorKeysKeepWorking: true },
  });
  return {
    required: team.twoFactorRequiredAt !== null,
    requiredAt: team.twoFactorRequiredAt,
    graceDays: team.twoFactorGraceDays,
    keysKeepWorking: team.twoFactorKeysKeepWorking,
  };
}

export type AffectedMember = { userId: string; name: string; email: string; role: string };

/** Who would be shut out: the team's members without 2FA (shown to the owner before turning it on). */
export async function membersWithoutTwoFactor(ctx: Pick<TeamContext, "team">): Promise<AffectedMember[]> {
  const rows = await db().membership.findMany({
    where: { teamId: ctx.team.id, user: { totpEnabledAt: null } },
    select: { role: true, user: { select: { id: true, name: true, email: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => ({ userId: row.user.id, name: row.user.name, email: row.user.email, role: row.role }));
}

export const TWO_FACTOR_POLICY_ERRORS = {
  ownFirst: "Turn on two-factor authentication for your own account first: the policy would lock you out too.",
} as const;

export async function updateTwoFactorPolicy(
  ctx: TeamContext,
  policy: TwoFactorPolicy,
  now = new Date(),
): Promise<void> {
  // As GitHub does: whoever requires 2FA has it, so the policy never shuts out the person turning it on.
  if (policy.required) {
    const actor = await db().user.findUniqueOrThrow({ where: { id: ctx.user.id }, select: { totpEnabledAt: true } });
    if (!actor.totpEnabledAt) throw new AppError("unprocessable", TWO_FACTOR_POLICY_ERRORS.ownFirst);
  }
  await transaction(async (tx) => {
    const before = await tx.team.findUniqueOrThrow({
      where: { id: ctx.team.id },
      select: { twoFactorRequiredAt: true, twoFactorGraceDays: true, twoFactorKeysKeepWorking: true },
    });
    // Changing only the grace period or the key choice keeps the original start date.
    const requiredAt = policy.required ? (before.twoFactorRequiredAt ?? now) : null;
    await tx.team.update({
      where: { id: ctx.team.id },
      data: {
        twoFactorRequiredAt: requiredAt,
        twoFactorGraceDays: policy.graceDays,
        twoFactorKeysKeepWorking: policy.keysKeepWorking,
      },
    });
    const affected = policy.required
      ? await tx.membership.count({ where: { teamId: ctx.team.id, user: { totpEnabledAt: null } } })
      : 0;
    await notifyKeyChange(tx, { teamId: ctx.team.id });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "team.two_factor_policy_update",
      targets: [{ type: "team", id: ctx.team.id, label: ctx.team.name }],
      metadata: {
        before: {
          required: before.twoFactorRequiredAt !== null,
          graceDays: before.twoFactorGraceDays,
          keysKeepWorking: before.twoFactorKeysKeepWorking,
        },
        after: policy,
        membersWithoutTwoFactor: affected,
      },
      context: ctx.request,
    });
  });
}

/** A user's 2FA turned on or off: their keys in every team are judged again by the proxy. */
export async function publishTwoFactorChange(tx: Tx, userId: string): Promise<void> {
  const keys = await tx.apiKey.findMany({ where: { userId, revokedAt: null }, select: { hash: true } });
  if (keys.length > 0) await notifyKeyChange(tx, { hashes: keys.map((k) => k.hash) });
}
