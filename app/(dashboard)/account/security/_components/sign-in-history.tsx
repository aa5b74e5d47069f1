// The account's recent sign-in records: when, what happened, from where.
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { describeSignInEvent } from "@/lib/auth/sign-in-event-labels";
import type { SignInEventView } from "@/lib/auth/sign-in-events";
import { describeUserAgent } from "@/lib/auth/user-agent";
import { formatDateTime } from "@/lib/format/date";

export function SignInHistory({ events }: { events: SignInEventView[] }) {
  if (events.length === 0) return <EmptyState title="No sign-in activity yet" />;
  return (
    <DataTable
      caption="Recent sign-in activity"
      rows={events}
      rowKey={(event) => event.id}
      columns={[
        { header: "Time", cell: (event) => formatDateTime(event.createdAt), className: "whitespace-nowrap" },
        {
          header: "What happened",
          cell: (event) => {
            const { label, tone } = describeSignInEvent(event);
            return <Badge tone={tone}>{label}</Badge>;
          },
        },
        { header: "IP address", cell: (event) => event.ip ?? "unknown", wrap: true },
        { header: "Device", cell: (event) => describeUserAgent(event.userAgent).label, hideBelow: "md", wrap: true },
      ]}
    />
  );
}
