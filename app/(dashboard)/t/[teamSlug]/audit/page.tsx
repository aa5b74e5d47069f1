// /t/[teamSlug]/audit — the team's audit log for owners, admins and auditors: one timeline of its audit
// events and its members' sign-ins, newest first, filtered by the URL, paged by keyset both ways, with a
// drawer for one entry (?event=…) and CSV / JSON Lines exports of exactly the filtered view.
import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonClass, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { zodFieldErrors } from "@/lib/api/errors";
import { describeAction, objectLabel, outcomeOf, targetsOf } from "@/lib/audit/describe";
import { eventChanges } from "@/lib/audit/diff";
import { deliveriesOfEvent, listAuditWebhooks } from "@/lib/audit/webhooks";
import { teamChainHead, verifyTeamChain } from "@/lib/audit/chain";
import { AUDIT_RETENTION_PERMISSION, readAuditRetention } from "@/lib/audit/retention";
import { parseAuditFilters } from "@/lib/audit/filters";
import {
  decodeCursor,
  getTimelineItem,
  listTimeline,
  timelineRef,
  timelineRefSchema,
  type TimelineItem,
} from "@/lib/audit/timeline";
import { teamPageContext } from "@/lib/auth/team-page";
import { formatDateTime } from "@/lib/format/date";
import { listMembers } from "@/lib/teams/members";
import { AuditFilterForm, type FilterValues } from "./_components/audit-filter-form";
import { EventDrawer, type EventDetail } from "./_components/event-drawer";
import { RetentionForm } from "./_components/retention-form";
import { WebhooksCard } from "./_components/webhooks-card";

export const metadata: Metadata = { title: "Audit log" };

const FILTER_NAMES = ["actor", "group", "target", "outcome", "ip", "from", "to"] as const;
const PAGE_SIZE = 50;

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ teamSlug: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const ctx = await teamPageContext((await params).teamSlug, "audit.read");
  const search = await searchParams;
  const base = `/t/${ctx.team.slug}/audit`;

  const values: FilterValues = {};
  for (const name of FILTER_NAMES) {
    const value = first(search[name]);
    if (value !== undefined && value.trim() !== "") values[name] = value;
  }
  const parsed = parseAuditFilters(new URLSearchParams(values));
  const errors = parsed.success ? {} : zodFieldErrors(parsed.error);
  // The view's own query (filters only): the base of page links, exports and the drawer's close link.
  const viewQuery = new URLSearchParams(values);
  const href = (extra: Record<string, string>) => {
    const query = new URLSearchParams(viewQuery);
    for (const [key, value] of Object.entries(extra)) query.set(key, value);
    const text = query.toString();
    return text ? `${base}?${text}` : base;
  };

  const rawCursor = first(search.cursor);
  const cursor = rawCursor && decodeCursor(rawCursor) ? rawCursor : undefined;
  const direction = first(search.dir) === "newer" ? "newer" : "older";
  const pageQuery: Record<string, string> = cursor
    ? { cursor, ...(direction === "newer" ? { dir: "newer" } : {}) }
    : {};

  const ref = timelineRefSchema.safeParse(first(search.event));
  const canStream = ctx.permissions.has("audit.webhooks");
  const canRetain = ctx.permissions.has(AUDIT_RETENTION_PERMISSION);
  // Independent reads, side by side; the opened entry's detail needs the entry first.
  const [page, detail, webhooks, head, verification, retention] = await Promise.all([
    parsed.success ? listTimeline(ctx, { filters: parsed.data, cursor, direction, limit: PAGE_SIZE }) : null,
    ref.success ? getTimelineItem(ctx, ref.data).then((opened) => (opened ? eventDetail(ctx, opened) : null)) : null,
    canStream ? listAuditWebhooks(ctx) : [],
    teamChainHead(ctx),
    first(search.verify) === "1" ? verifyTeamChain(ctx) : null,
    readAuditRetention(ctx),
  ]);

  const exportHref = (format: "csv" | "jsonl") => {
    const query = new URLSearchParams(viewQuery);
    query.set("format", format);
    return `/api/teams/${ctx.team.slug}/audit-events/export?${query.toString()}`;
  };
  const filtered = Object.keys(values).length > 0;

  return (
    <div className="space-y-6">
      {/* Exports are plain links, not <Link>: a client-side navigation would fetch the download twice. */}
      <PageHeader
        title="Audit log"
        description="Who did what in this team, and every sign-in of its members, newest first. Times are UTC."
        actions={
          parsed.success ? (
            <div className="flex flex-wrap gap-2">
              <a href={exportHref("csv")} download className={buttonClass({ variant: "secondary", size: "sm" })}>
                Export CSV
              </a>
              <a href={exportHref("jsonl")} download className={buttonClass({ variant: "secondary", size: "sm" })}>
                Export JSON Lines
              </a>
            </div>
          ) : null
        }
      />

      <Card title="Filters" description="The filters are part of the address: share or bookmark a view as it is.">
        <AuditFilterForm action={base} values={values} errors={errors} />
      </Card>

      {ref.success && !detail ? <Alert tone="warning">That entry is not in this team&apos;s audit log.</Alert> : null}

      {!page ? (
        <Alert tone="error">The filters above need fixing before the log can be shown.</Alert>
      ) : (
        <Card
          title="Entries"
          description={filtered ? "Entries matching the filters." : "All entries."}
          actions={<Pager older={page.olderCursor} newer={page.newerCursor} href={href} />}
        >
          {page.items.length === 0 ? (
            <EmptyState title={filtered ? "No entry matches these filters." : "Nothing has been recorded yet."}>
              {filtered ? (
                <Link href={base} className="font-medium text-brand-700 underline">
                  Show all entries
                </Link>
              ) : null}
            </EmptyState>
          ) : (
            <>
              <DataTable
                caption="Audit log entries, newest first"
                rows={page.items}
                rowKey={timelineRef}
                columns={[
                  {
                    header: "Time",
                    cell: (item) => (
                      <time dateTime={item.createdAt.toISOString()} className="whitespace-nowrap text-slate-600">
                        {formatDateTime(item.createdAt)}
                      </time>
                    ),
                  },
                  { header: "Actor", wrap: true, cell: (item) => item.actorLabel ?? "System" },
                  {
                    header: "Action",
                    wrap: true,
                    cell: (item) => {
                      const object = objectLabel(item.action, item.targets);
                      return (
                        <Link
                          href={href({ ...pageQuery, event: timelineRef(item) })}
                          scroll={false}
                          className="text-slate-900 hover:underline"
                        >
                          {describeAction(item.action, item.metadata)}
                          {object ? <span className="font-medium"> {object}</span> : null}
                        </Link>
                      );
                    },
                  },
                  {
                    header: "Outcome",
                    hideBelow: "md",
                    cell: (item) =>
                      outcomeOf(item.action) === "failure" ? <Badge tone="amber">Failed</Badge> : <Badge>OK</Badge>,
                  },
                  { header: "IP", hideBelow: "lg", cell: (item) => item.ip ?? "—" },
                ]}
              />
              <div className="mt-4 flex justify-end">
                <Pager older={page.olderCursor} newer={page.newerCursor} href={href} />
              </div>
            </>
          )}
        </Card>
      )}

      <Card
        title="Tamper evidence"
        description="Every event of this team carries the SHA-256 of the one before it. Note the head somewhere else; later, Verify proves that nothing up to it was changed, removed or slipped in — not even by someone with the database's keys."
      >
        <div className="space-y-4">
          <dl className="grid gap-3 text-sm sm:grid-cols-[auto_1fr]">
            <dt className="font-medium text-slate-500">Chain head</dt>
            <dd>
              {head.seq === 0 ? (
                "No event yet."
              ) : (
                <>
                  event {head.seq.toLocaleString("en")}, {formatDateTime(head.at)}
                  <code className="mt-1 block font-mono text-xs [overflow-wrap:anywhere] text-slate-700">
                    {head.hash}
                  </code>
                </>
              )}
            </dd>
            <dt className="font-medium text-slate-500">Retention</dt>
            <dd>{retention.toLocaleString("en")} days</dd>
          </dl>
          {verification ? (
            verification.ok ? (
              <Alert tone="success">
                The chain is intact up to event {verification.verifiedThrough.seq.toLocaleString("en")} (
                {verification.count.toLocaleString("en")} events checked).
              </Alert>
            ) : (
              <Alert tone="error">
                The chain is broken at event {verification.brokenAt.seq ?? "?"}: {verification.reason}.{" "}
                {verification.brokenAt.eventId ? (
                  <Link
                    href={href({ event: `audit:${verification.brokenAt.eventId}` })}
                    className="font-medium underline"
                  >
                    Open that event
                  </Link>
                ) : null}
              </Alert>
            )
          ) : null}
          <form method="get" action={base}>
            <input type="hidden" name="verify" value="1" />
            <button type="submit" className={buttonClass({ variant: "secondary" })}>
              Verify the chain
            </button>
          </form>
          {canRetain ? <RetentionForm teamSlug={ctx.team.slug} days={retention} /> : null}
        </div>
      </Card>

      {canStream ? <WebhooksCard teamSlug={ctx.team.slug} webhooks={webhooks} /> : null}

      {detail ? <EventDrawer event={detail} closeHref={href(pageQuery)} /> : null}
    </div>
  );
}

function Pager({
  older,
  newer,
  href,
}: {
  older: string | null;
  newer: string | null;
  href: (extra: Record<string, string>) => string;
}) {
  if (!older && !newer) return null;
  const disabled = "rounded-md px-2.5 py-1.5 text-xs font-medium text-slate-400 ring-1 ring-inset ring-slate-200";
  return (
    <nav aria-label="Pages of the audit log" className="flex gap-2">
      {newer ? (
        <ButtonLink href={href({ cursor: newer, dir: "newer" })} variant="secondary" size="sm">
          ← Newer
        </ButtonLink>
      ) : (
        <span className={disabled} aria-disabled="true">
          ← Newer
        </span>
      )}
      {older ? (
        <ButtonLink href={href({ cursor: older })} variant="secondary" size="sm">
          Older →
        </ButtonLink>
      ) : (
        <span className={disabled} aria-disabled="true">
          Older →
        </span>
      )}
    </nav>
  );
}

/** Everything the drawer shows, with links only to pages this viewer may open. */
async function eventDetail(ctx: Awaited<ReturnType<typeof teamPageContext>>, item: TimelineItem): Promise<EventDetail> {
  const base = `/t/${ctx.team.slug}`;
  const members = await listMembers(ctx);
  const membershipOf = new Map(members.map((member) => [member.user.id, member.id]));
  const memberHref = (userId: string | null) => {
    const membershipId = userId ? membershipOf.get(userId) : undefined;
    return membershipId ? `${base}/members/${membershipId}/sign-ins` : null;
  };
  const keyHref = (id: string) => (ctx.permissions.has("api_keys.manage") ? `${base}/keys/${id}` : null);
  const object = objectLabel(item.action, item.targets);
  const actor = item.actorLabel ?? "System";
  return {
    id: item.id,
    source: item.source,
    time: item.createdAt.toISOString(),
    timeLabel: formatDateTime(item.createdAt),
    sentence: `${actor} ${describeAction(item.action, item.metadata)}${object ? ` ${object}` : ""}`,
    action: item.action,
    actor,
    // A person who is still a member links to their sign-ins; a management key or system actor does not.
    actorHref: memberHref(item.actorId),
    outcome: outcomeOf(item.action),
    targets: targetsOf(item.targets).map((target) => ({
      type: target.type,
      label: target.label ?? target.id,
      href:
        target.type === "api_key"
          ? keyHref(target.id)
          : target.type === "user"
            ? memberHref(target.id)
            : target.type === "membership"
              ? `${base}/members/${target.id}/sign-ins`
              : target.type === "upstream_key" && ctx.permissions.has("upstream_keys.read")
                ? `${base}/upstream-keys`
                : null,
    })),
    ip: item.ip,
    userAgent: item.userAgent,
    changes: eventChanges(item.metadata),
    metadata: JSON.stringify(item.metadata ?? {}, null, 2),
    deliveries:
      item.source === "audit"
        ? (await deliveriesOfEvent(ctx, item.id)).map((delivery) => ({
            id: delivery.id,
            url: delivery.webhook.url,
            status: delivery.status,
            attempts: delivery.attempts,
            lastError: delivery.lastError,
          }))
        : [],
  };
}
