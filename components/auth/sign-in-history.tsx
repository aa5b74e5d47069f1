// Sign-in records as a table: when, what happened, from where. The Security page shows the user's own; a
// member's Sign-ins page shows theirs to the team's owners, admins and auditors.
import type { ReactNode } from "react";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { describeSignInEvent, type EventTone } from "@/lib/auth/sign-in-event-labels";
import type { SignInEventView } from "@/lib/auth/sign-in-events";
import { describeUserAgent } from "@/lib/auth/user-agent";
import { formatDateTime } from "@/lib/format/date";

// A coloured dot beside plain text: long labels wrap cleanly, and the colour is never the only signal.
const DOT: Record<EventTone, string> = {
  green: "bg-emerald-500",
  amber: "bg-amber-500",
  slate: "bg-slate-400",
  brand: "bg-brand-500",
};

export function SignInHistory({
  events,
  caption = "Recent sign-in activity",
  empty,
}: {
  events: SignInEventView[];
  /** Names the table for assistive technology. */
  caption?: string;
  /** A line under the empty state's title. */
  empty?: ReactNode;
}) {
  if (events.length === 0) return <EmptyState title="No sign-in activity yet">{empty}</EmptyState>;
  return (
    <DataTable
      caption={caption}
      rows={events}
      rowKey={(event) => event.id}
      columns={[
        { header: "Time", cell: (event) => formatDateTime(event.createdAt), className: "whitespace-nowrap" },
        {
          header: "What happened",
          cell: (event) => {
            const { label, tone } = describeSignInEvent(event);
            return (
              <span className="flex items-start gap-2">
                <span aria-hidden="true" className={`mt-1.5 size-2 shrink-0 rounded-full ${DOT[tone]}`} />
                {label}
              </span>
            );
          },
        },
        { header: "IP address", cell: (event) => event.ip ?? "unknown", wrap: true },
        { header: "Device", cell: (event) => describeUserAgent(event.userAgent).label, hideBelow: "md", wrap: true },
      ]}
    />
  );
}
