// The columns of the member keys table.
import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { Column } from "@/components/ui/data-table";
import { revokeKeyAction } from "@/lib/actions/revoke-key";
import { formatAge, formatDate } from "@/lib/format/date";
import type { listKeys } from "@/lib/keys/store";

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
}: {
  teamSlug: string;
  manager: boolean;
  now: Date;
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
      header: "Created",
      hideBelow: "lg",
      className: "text-slate-500",
      cell: (key) => (
        <>
          {formatDate(key.createdAt)}
          <span className="block text-xs">{formatAge(key.createdAt, now)} old</span>
        </>
      ),
    },
    { header: "Last used", hideBelow: "lg", className: "text-slate-500", cell: (key) => formatDate(key.lastUsedAt) },
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
