// The columns of the member keys table.
import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { RotationBadge } from "@/components/keys/rotation-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { Column } from "@/components/ui/data-table";
import { revokeKeyAction } from "@/lib/actions/revoke-key";
import { formatAge, formatDate, formatDateTime } from "@/lib/format/date";
import type { listKeys } from "@/lib/keys/store";
import type { RotationItem } from "@/lib/rotation/due";

type ListedKey = Awaited<ReturnType<typeof listKeys>>[number];

const STATUS_TONE = { active: "green", expired: "amber", revoked: "slate" } as const;

function narrowedBy(key: ListedKey): string {
  const by = new Set(key.effective?.narrowed.map((n) => (n.by === "role" ? "role" : "team policy")));
  return [...by].join(", ");
}

export function keyColumns({
  teamSlug,
  manager,
  now,
  rotation,
}: {
  teamSlug: string;
  manager: boolean;
  now: Date;
  /** Each live key's place under the rotation policy (lib/rotation/due.ts), by key id. */
  rotation: ReadonlyMap<string, RotationItem>;
}): Column<ListedKey>[] {
  const base = `/t/${teamSlug}/keys`;
  return [
    {
      header: "Name",
      wrap: true,
      cell: (key) => (
        <>
          <Link href={`${base}/${key.id}`} className="font-medium hover:underline">
            {key.name}
          </Link>
          <p className="font-mono text-xs text-slate-500">{key.prefix}…</p>
          <Badge tone={STATUS_TONE[key.status]}>{key.status}</Badge>
          {rotation.get(key.id)?.overlapEndsAt ? (
            <p className="mt-1 text-xs text-slate-600">
              Rolled — old key stops at {formatDateTime(rotation.get(key.id)?.overlapEndsAt)}
            </p>
          ) : null}
        </>
      ),
    },
    ...(manager
      ? [{ header: "Holder", wrap: true, className: "text-slate-600", cell: (key: ListedKey) => key.user?.name ?? "—" }]
      : []),
    {
      header: "Scopes",
      className: "text-xs text-slate-600 sm:max-w-xs",
      cell: (key) => (
        <>
          {key.summary}
          {key.status === "active" && key.effective && key.effective.narrowed.length > 0 ? (
            <span className="mt-1 block">
              <Badge tone="amber">narrowed</Badge> now: {key.effective.summary} ({narrowedBy(key)})
            </span>
          ) : null}
        </>
      ),
    },
    {
      header: "Age",
      hideBelow: "lg",
      className: "text-slate-500",
      cell: (key) => (
        <>
          {formatAge(key.createdAt, now)}
          <span className="block text-xs">since {formatDate(key.createdAt)}</span>
        </>
      ),
    },
    { header: "Last used", hideBelow: "lg", className: "text-slate-500", cell: (key) => formatDate(key.lastUsedAt) },
    {
      header: "Rotation due",
      className: "text-slate-500",
      cell: (key) => {
        const item = rotation.get(key.id);
        // A rolled key is being replaced (its note says when it stops); a revoked or expired one is past it.
        if (!item || item.overlapEndsAt) return "—";
        return (
          <>
            {formatDate(item.dueAt)}
            {item.status !== "ok" ? (
              <span className="mt-1 block">
                <RotationBadge status={item.status} />
              </span>
            ) : null}
          </>
        );
      },
    },
    { header: "Expires", hideBelow: "md", className: "text-slate-500", cell: (key) => formatDate(key.expiresAt) },
    {
      header: "Actions",
      srOnlyHeader: true,
      align: "right",
      cell: (key) =>
        key.status !== "revoked" ? (
          <ActionForm
            action={revokeKeyAction}
            hidden={{ teamSlug, keyId: key.id }}
            confirm={`Revoke ${key.name} (${key.prefix}…)? It stops working at once.`}
          >
            <Button type="submit" variant="danger" size="sm" aria-label={`Revoke ${key.name}`}>
              Revoke
            </Button>
          </ActionForm>
        ) : null,
    },
  ];
}
