// The keys due for rotation, each linking to where it is rolled or replaced, with its badge and due date.
import Link from "next/link";
import { RotationBadge } from "@/components/keys/rotation-badge";
import { formatDate } from "@/lib/format/date";
import type { RotationItem } from "@/lib/rotation/due";
import { rotationItemHref } from "@/lib/rotation/visible";

const KIND_LABELS = { member: "Member key", management: "Management key", upstream: "OpenAI key" } as const;

function when(item: RotationItem): string {
  if (item.daysLeft < 0) return `was due ${formatDate(item.dueAt)}`;
  if (item.daysLeft === 0) return "due today";
  return `due ${formatDate(item.dueAt)}`;
}

export function DueList({ teamSlug, items, label }: { teamSlug: string; items: RotationItem[]; label: string }) {
  return (
    <ul className="divide-y divide-slate-100" aria-label={label}>
      {items.map((item) => (
        <li key={`${item.kind}-${item.id}`} className="flex flex-wrap items-center justify-between gap-2 py-2.5">
          <div className="min-w-0 [overflow-wrap:anywhere]">
            <Link href={rotationItemHref(teamSlug, item)} className="font-medium hover:underline">
              {item.label}
            </Link>
            <p className="text-xs text-slate-500">
              {KIND_LABELS[item.kind]}
              {item.holderEmail ? ` · ${item.holderEmail}` : ""} · {when(item)}
            </p>
          </div>
          <RotationBadge status={item.status} />
        </li>
      ))}
    </ul>
  );
}
