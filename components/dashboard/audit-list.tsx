import type { AuditEventRow } from "@/lib/audit/queries";
import { describeAction, objectLabel } from "@/lib/audit/describe";
import { formatDateTime } from "@/lib/format/date";

export function AuditList({ events }: { events: AuditEventRow[] }) {
  return (
    <ol className="divide-y divide-slate-100">
      {events.map((event) => {
        const description = describeAction(event.action, event.metadata);
        const target = objectLabel(event.action, event.targets);
        return (
          <li key={event.id} className="flex items-baseline justify-between gap-4 py-2.5 text-sm">
            <span className="min-w-0 [overflow-wrap:anywhere]">
              <span className="font-medium">{event.actorLabel ?? "System"}</span> {description}{" "}
              {target ? <span className="font-medium">{target}</span> : null}
            </span>
            <time dateTime={event.createdAt.toISOString()} className="shrink-0 text-xs text-slate-500">
              {formatDateTime(event.createdAt)}
            </time>
          </li>
        );
      })}
    </ol>
  );
}
