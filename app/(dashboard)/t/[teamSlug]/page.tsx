// /t/[teamSlug] — the team's overview: who is in it, what is due for rotation and what happened lately.
import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { AuditList } from "@/components/dashboard/audit-list";
import { DueList } from "@/components/keys/due-list";
import { teamChainHead } from "@/lib/audit/chain";
import { recentAuditEvents } from "@/lib/audit/queries";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { teamPageContext } from "@/lib/auth/team-page";
import { dueItems } from "@/lib/rotation/due";
import { visibleRotationItems } from "@/lib/rotation/visible";
import { listPendingInvites } from "@/lib/teams/invites";
import { listMembers } from "@/lib/teams/members";

export const metadata: Metadata = { title: "Overview" };

export default async function TeamOverviewPage({ params }: { params: Promise<{ teamSlug: string }> }) {
  const ctx = await teamPageContext((await params).teamSlug);
  const canAudit = can(ctx.membership.role, "audit.read");
  const showsRotation = ctx.permissions.has("api_keys.own") || ctx.permissions.has("upstream_keys.read");
  const [members, invites, events, head, rotation] = await Promise.all([
    listMembers(ctx),
    can(ctx.membership.role, "members.invite") ? listPendingInvites(ctx) : Promise.resolve([]),
    canAudit ? recentAuditEvents(ctx, 8) : Promise.resolve([]),
    canAudit ? teamChainHead(ctx) : Promise.resolve(null),
    showsRotation ? visibleRotationItems(ctx, new Date()) : Promise.resolve([]),
  ]);
  const due = dueItems(rotation);
  const stats = [
    { label: "Members", value: members.length },
    { label: "Pending invitations", value: invites.length },
    { label: "Your role", value: ROLE_LABELS[ctx.membership.role] },
  ];
  return (
    <div className="space-y-6">
      <PageHeader
        title={ctx.team.name}
        description="Team overview"
        actions={
          can(ctx.membership.role, "members.invite") ? (
            <ButtonLink href={`/t/${ctx.team.slug}/members`}>Invite teammates</ButtonLink>
          ) : null
        }
      />
      <dl className="grid gap-4 sm:grid-cols-3">
        {stats.map((stat) => (
          <div key={stat.label} className="rounded-xl bg-white px-5 py-4 ring-1 ring-slate-200">
            <dt className="text-sm text-slate-500">{stat.label}</dt>
            <dd className="mt-1 text-2xl font-semibold">{stat.value}</dd>
          </div>
        ))}
      </dl>
      {showsRotation ? (
        <Card title="Due for rotation" description="Keys due soon or overdue under the team's rotation policy.">
          {due.length === 0 ? (
            <EmptyState title="Nothing is due for rotation." />
          ) : (
            <DueList teamSlug={ctx.team.slug} items={due} label="Keys due for rotation" />
          )}
        </Card>
      ) : null}
      {canAudit ? (
        <Card
          title="Recent activity"
          description="The latest entries of the team's audit log."
          actions={
            <ButtonLink href={`/t/${ctx.team.slug}/audit`} variant="secondary" size="sm">
              View the audit log
            </ButtonLink>
          }
        >
          {events.length === 0 ? <EmptyState title="Nothing has happened yet." /> : <AuditList events={events} />}
          {head && head.seq > 0 ? (
            <p className="mt-4 border-t border-slate-100 pt-3 text-xs text-slate-500">
              Audit chain head: event {head.seq.toLocaleString("en")},{" "}
              <code className="font-mono [overflow-wrap:anywhere] text-slate-700">{head.hash}</code>
            </p>
          ) : null}
        </Card>
      ) : null}
    </div>
  );
}
