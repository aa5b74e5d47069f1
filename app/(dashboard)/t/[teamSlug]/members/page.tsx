// /t/[teamSlug]/members — members, roles, invitations, leaving the team.
import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { deleteTeamAction } from "@/lib/actions/delete-team";
import { leaveTeamAction } from "@/lib/actions/leave-team";
import { revokeInviteAction } from "@/lib/actions/revoke-invite";
import { can } from "@/lib/auth/permissions";
import { teamPageContext } from "@/lib/auth/team-page";
import { formatDate } from "@/lib/format/date";
import { listPendingInvites } from "@/lib/teams/invites";
import { listMembers } from "@/lib/teams/members";
import { InviteForm } from "./_components/invite-form";
import { memberColumns } from "./_components/member-columns";

export const metadata: Metadata = { title: "Members" };

// Buttons named after the team: a long unbroken team name wraps instead of widening the page.
const LONG_LABEL = "max-w-full whitespace-normal! [overflow-wrap:anywhere]";

export default async function MembersPage({ params }: { params: Promise<{ teamSlug: string }> }) {
  const ctx = await teamPageContext((await params).teamSlug);
  const role = ctx.membership.role;
  const canInvite = can(role, "members.invite");
  const [members, invites] = await Promise.all([
    listMembers(ctx),
    canInvite ? listPendingInvites(ctx) : Promise.resolve([]),
  ]);
  // The server refuses it anyway (leaveTeam); the page does not offer what it would refuse.
  const lastOwner = role === "owner" && members.filter((m) => m.role === "owner").length === 1;
  const slug = ctx.team.slug;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Members"
        description={<>Who can use {ctx.team.name}&apos;s OpenAI access, and what they may do.</>}
      />

      {canInvite ? (
        <Card
          title="Invite a teammate"
          description="They get an e-mail with a link that works once and expires in 7 days."
        >
          <InviteForm teamSlug={slug} actorRole={role} />
        </Card>
      ) : null}

      <Card title={`Members (${members.length})`}>
        <DataTable
          caption={`Members of ${ctx.team.name}`}
          columns={memberColumns({ teamSlug: slug, actorRole: role, actorId: ctx.user.id })}
          rows={members.map((m) => ({
            id: m.id,
            userId: m.user.id,
            role: m.role,
            name: m.user.name,
            email: m.user.email,
            joinedAt: m.createdAt,
            twoFactor: m.user.totpEnabledAt !== null,
          }))}
          rowKey={(member) => member.id}
        />
      </Card>

      {canInvite ? (
        <Card title="Pending invitations">
          {invites.length === 0 ? (
            <EmptyState title="No pending invitations.">
              Invitations you send appear here until they are accepted.
            </EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100">
              {invites.map((invite) => (
                <li key={invite.id} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
                  <div className="min-w-0 [overflow-wrap:anywhere]">
                    <p className="font-medium">{invite.email}</p>
                    <p className="text-xs text-slate-500">
                      {invite.role} · invited by {invite.invitedBy?.name ?? "a former member"} · expires{" "}
                      {formatDate(invite.expiresAt)}
                    </p>
                  </div>
                  <ActionForm
                    action={revokeInviteAction}
                    hidden={{ teamSlug: slug, inviteId: invite.id }}
                    confirm={`Revoke the invitation for ${invite.email}?`}
                  >
                    <Button
                      type="submit"
                      variant="danger"
                      size="sm"
                      aria-label={`Revoke invitation for ${invite.email}`}
                    >
                      Revoke
                    </Button>
                  </ActionForm>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ) : null}

      {can(role, "team.delete") ? (
        <Card
          title="Delete this team"
          description="Deletes its members, keys and OpenAI keys for good. Every key stops working at once."
        >
          <ActionForm
            action={deleteTeamAction}
            hidden={{ teamSlug: slug }}
            confirm={`Delete ${ctx.team.name} for good?`}
            className="flex flex-wrap items-end gap-3 [overflow-wrap:anywhere]"
          >
            <Field label={`Type "${ctx.team.name}" to confirm`} name="confirmName" required autoComplete="off" />
            <Button type="submit" variant="danger" className={LONG_LABEL}>
              Delete {ctx.team.name}
            </Button>
          </ActionForm>
        </Card>
      ) : null}

      {lastOwner ? (
        <Card title="Leave this team" description="You are its only owner: a team always keeps one.">
          <p className="text-sm text-slate-600">
            {members.length > 1
              ? "To leave, first hand the team over (“Make owner” beside a member, above), or delete the team."
              : "To leave, first invite someone and hand the team over to them, or delete the team."}
          </p>
        </Card>
      ) : (
        <Card title="Leave this team" description="You lose access to its keys at once.">
          <ActionForm action={leaveTeamAction} hidden={{ teamSlug: slug }} confirm={`Leave ${ctx.team.name}?`}>
            <Button type="submit" variant="danger" className={LONG_LABEL}>
              Leave {ctx.team.name}
            </Button>
          </ActionForm>
        </Card>
      )}
    </div>
  );
}
