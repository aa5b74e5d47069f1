// /t/[teamSlug]/members — members, roles, invitations, leaving the team.
import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { deleteTeamAction } from "@/lib/actions/delete-team";
import { leaveTeamAction } from "@/lib/actions/leave-team";
import { revokeInviteAction } from "@/lib/actions/revoke-invite";
import { can } from "@/lib/auth/permissions";
import { teamPageContext } from "@/lib/auth/team-page";
import { listPendingInvites } from "@/lib/teams/invites";
import { listMembers } from "@/lib/teams/members";
import { InviteForm } from "./_components/invite-form";
import { MemberRow } from "./_components/member-row";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ teamSlug: string }> }) {
  const ctx = await teamPageContext((await params).teamSlug);
  const role = ctx.membership.role;
  const canInvite = can(role, "members.invite");
  const [members, invites] = await Promise.all([
    listMembers(ctx),
    canInvite ? listPendingInvites(ctx) : Promise.resolve([]),
  ]);
  const dates = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
  // The server refuses it anyway (leaveTeam); the page does not offer what it would refuse.
  const lastOwner = role === "owner" && members.filter((m) => m.role === "owner").length === 1;
  const slug = ctx.team.slug;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Members</h1>
        <p className="mt-1 text-sm text-slate-500">
          Who can use {ctx.team.name}&apos;s OpenAI access, and what they may do.
        </p>
      </div>

      {canInvite ? (
        <Card
          title="Invite a teammate"
          description="They get an e-mail with a link that works once and expires in 7 days."
        >
          <InviteForm teamSlug={slug} actorRole={role} />
        </Card>
      ) : null}

      <Card title={`Members (${members.length})`}>
        <table className="w-full text-left text-sm">
          <thead className="text-xs tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="py-2 font-medium">
                Name
              </th>
              <th scope="col" className="py-2 font-medium">
                Role
              </th>
              <th scope="col" className="hidden py-2 font-medium sm:table-cell">
                Joined
              </th>
              <th scope="col" className="py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {members.map((member) => (
              <MemberRow
                key={member.id}
                teamSlug={slug}
                actorRole={role}
                isSelf={member.user.id === ctx.user.id}
                member={{
                  id: member.id,
                  role: member.role,
                  name: member.user.name,
                  email: member.user.email,
                  joined: dates.format(member.createdAt),
                }}
              />
            ))}
          </tbody>
        </table>
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
                  <div>
                    <p className="font-medium">{invite.email}</p>
                    <p className="text-xs text-slate-500">
                      {invite.role} · invited by {invite.invitedBy?.name ?? "a former member"} · expires{" "}
                      {dates.format(invite.expiresAt)}
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
            className="flex flex-wrap items-end gap-3"
          >
            <Field label={`Type "${ctx.team.name}" to confirm`} name="confirmName" required autoComplete="off" />
            <Button type="submit" variant="danger">
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
            <Button type="submit" variant="danger">
              Leave {ctx.team.name}
            </Button>
          </ActionForm>
        </Card>
      )}
    </div>
  );
}
