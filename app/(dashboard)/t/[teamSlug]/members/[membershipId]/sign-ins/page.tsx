// /t/[teamSlug]/members/[membershipId]/sign-ins — one member's recent sign-ins, for owners, admins and auditors.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SignInHistory } from "@/components/auth/sign-in-history";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { AppError } from "@/lib/api/errors";
import { SIGN_IN_EVENT_RETENTION_DAYS } from "@/lib/auth/sign-in-events";
import { teamMemberPageContext } from "@/lib/auth/team-page";
import { listMemberSignIns } from "@/lib/teams/member-sign-ins";

export const metadata: Metadata = { title: "Member sign-ins" };

export default async function MemberSignInsPage({
  params,
}: {
  params: Promise<{ teamSlug: string; membershipId: string }>;
}) {
  const { teamSlug, membershipId } = await params;
  // The same door as the layout's (cached: no second lookup); audit.read is owners, admins and auditors.
  const { ctx, membershipId: id } = await teamMemberPageContext(teamSlug, membershipId, "audit.read");
  // A member removed since the door let us in is not found either.
  const { member, events } = await listMemberSignIns(ctx, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  return (
    <div className="space-y-6">
      <PageHeader
        title={<>Sign-ins of {member.name}</>}
        description={member.email}
        actions={
          <ButtonLink href={`/t/${ctx.team.slug}/members`} variant="secondary" size="sm">
            Back to members
          </ButtonLink>
        }
      />
      <Card
        title="Recent sign-in activity"
        description="The last 50 sign-ins and security changes on this account, in every team it belongs to."
      >
        <SignInHistory
          events={events}
          caption={`Sign-ins of ${member.name}`}
          empty={`Nothing recorded for this account in the last ${SIGN_IN_EVENT_RETENTION_DAYS} days.`}
        />
      </Card>
    </div>
  );
}
