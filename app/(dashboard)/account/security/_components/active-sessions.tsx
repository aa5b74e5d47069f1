// The browsers signed in to this account, the current one marked; any other can be ended from here.
import { ActionForm } from "@/components/action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { endSessionAction } from "@/lib/actions/end-session";
import { describeUserAgent } from "@/lib/auth/user-agent";
import { formatDateTime } from "@/lib/format/date";

export type SessionRow = { id: string; createdAt: Date; lastSeenAt: Date; ip: string | null; userAgent: string | null };

export function ActiveSessions({ sessions, currentId }: { sessions: SessionRow[]; currentId: string }) {
  return (
    <DataTable
      caption="Active sessions"
      rows={sessions}
      rowKey={(s) => s.id}
      columns={[
        {
          header: "Device",
          wrap: true,
          cell: (s) => {
            const device = describeUserAgent(s.userAgent);
            return (
              <span>
                {device.browser} on {device.os} {s.id === currentId ? <Badge tone="green">This device</Badge> : null}
              </span>
            );
          },
        },
        { header: "IP address", cell: (s) => s.ip ?? "unknown", wrap: true },
        { header: "Signed in", cell: (s) => formatDateTime(s.createdAt), hideBelow: "lg" },
        { header: "Last active", cell: (s) => formatDateTime(s.lastSeenAt) },
        {
          header: "Actions",
          srOnlyHeader: true,
          align: "right",
          cell: (s) =>
            s.id === currentId ? null : (
              <ActionForm action={endSessionAction} hidden={{ sessionId: s.id }}>
                <Button
                  type="submit"
                  variant="danger"
                  size="sm"
                  aria-label={`End session: ${describeUserAgent(s.userAgent).label}, last active ${formatDateTime(s.lastSeenAt)}`}
                >
                  End session
                </Button>
              </ActionForm>
            ),
        },
      ]}
    />
  );
}
