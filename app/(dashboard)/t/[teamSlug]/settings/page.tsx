// /t/[teamSlug]/settings — the team's name and address, and its 2FA policy (owners only).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { teamPageContext } from "@/lib/auth/team-page";
import { twoFactorStatus } from "@/lib/auth/two-factor";
import { env } from "@/lib/env";
import { formatDate } from "@/lib/format/date";
import { membersWithoutTwoFactor, readTwoFactorPolicy, twoFactorDeadline } from "@/lib/teams/two-factor-policy";
import { RenameTeamForm } from "./_components/rename-team-form";
import { TwoFactorPolicyForm } from "./_components/two-factor-policy-form";

export const metadata: Metadata = { title: "Team settings" };

export default async function TeamSettingsPage({
  params,
  searchParams,
}: {
  params: Promise<{ teamSlug: string }>;
  searchParams: Promise<{ saved?: string }>;
}) {
  const ctx = await teamPageContext((await params).teamSlug);
  if (!can(ctx.membership.role, "team.update")) notFound();
  const saved = (await searchParams).saved === "1";
  const canSetPolicy = can(ctx.membership.role, "security.policy");
  const [policy, affected, own] = canSetPolicy
    ? await Promise.all([readTwoFactorPolicy(ctx), membersWithoutTwoFactor(ctx), twoFactorStatus(ctx.user.id)])
    : [null, [], null];
  const deadline = policy
    ? twoFactorDeadline({
        twoFactorRequiredAt: policy.requiredAt,
        twoFactorGraceDays: policy.graceDays,
        twoFactorKeysKeepWorking: policy.keysKeepWorking,
      })
    : null;
  return (
    <div className="space-y-6">
      <PageHeader title="Team settings" description="Only owners can change these." />
      {saved ? <Alert tone="success">Saved. The team now lives at this address.</Alert> : null}
      <Card title="Name and address" description="The name members see, and the address of the team's pages and API.">
        <RenameTeamForm team={{ name: ctx.team.name, slug: ctx.team.slug }} origin={env().APP_URL} />
      </Card>
      {policy ? (
        <Card
          title="Two-factor authentication"
          description="Require every member to sign in with a second factor, as an organisation on GitHub can."
        >
          <TwoFactorPolicyForm
            teamSlug={ctx.team.slug}
            policy={{
              required: policy.required,
              graceDays: policy.graceDays,
              keysKeepWorking: policy.keysKeepWorking,
              deadline: deadline ? formatDate(deadline) : null,
            }}
            affected={affected}
            ownerHasTwoFactor={own?.enabled ?? false}
          />
        </Card>
      ) : null}
    </div>
  );
}
