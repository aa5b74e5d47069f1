// The columns of the team's OpenAI keys table.
import { ActionForm } from "@/components/action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { Column } from "@/components/ui/data-table";
import { deleteUpstreamKeyAction } from "@/lib/actions/delete-upstream-key";
import { setUpstreamKeyEnabledAction } from "@/lib/actions/set-upstream-key-enabled";
import { formatAge, formatDate } from "@/lib/format/date";
import type { UpstreamKeyView } from "@/lib/upstream/keys";
import { CheckKeyForm } from "./check-key-form";

function Actions({ teamSlug, upstreamKey: key }: { teamSlug: string; upstreamKey: UpstreamKeyView }) {
  const hidden = { teamSlug, keyId: key.id };
  return (
    <div className="flex flex-wrap gap-2 sm:justify-end">
      <CheckKeyForm teamSlug={teamSlug} keyId={key.id} name={key.name} />
      <ActionForm action={setUpstreamKeyEnabledAction} hidden={{ ...hidden, enabled: String(!key.enabled) }}>
        <Button
          type="submit"
          variant="secondary"
          size="sm"
          aria-label={`${key.enabled ? "Disable" : "Enable"} ${key.name}`}
        >
          {key.enabled ? "Disable" : "Enable"}
        </Button>
      </ActionForm>
      <ActionForm
        action={deleteUpstreamKeyAction}
        hidden={hidden}
        confirm={`Delete ${key.name} (${key.masked})? This cannot be undone.`}
      >
        <Button type="submit" variant="danger" size="sm" aria-label={`Delete ${key.name}`}>
          Delete
        </Button>
      </ActionForm>
    </div>
  );
}

export function upstreamKeyColumns({
  teamSlug,
  canWrite,
  now,
}: {
  teamSlug: string;
  canWrite: boolean;
  now: Date;
}): Column<UpstreamKeyView>[] {
  return [
    {
      header: "Name",
      wrap: true,
      cell: (key) => (
        <>
          <p className="font-medium">{key.name}</p>
          <p className="text-xs text-slate-500">
            weight {key.weight}
            {key.projectId ? ` · ${key.projectId}` : ""}
            {key.organizationId ? ` · ${key.organizationId}` : ""}
          </p>
        </>
      ),
    },
    { header: "Key", className: "font-mono text-xs", cell: (key) => key.masked },
    {
      header: "Status",
      cell: (key) => (
        <div className="flex flex-wrap gap-1">
          {key.enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Disabled</Badge>}
          {key.verifiedAt ? (
            <Badge tone="brand">Checked {formatDate(key.verifiedAt)}</Badge>
          ) : (
            <Badge tone="amber">Not checked</Badge>
          )}
        </div>
      ),
    },
    {
      header: "Added",
      hideBelow: "md",
      wrap: true,
      className: "text-slate-500",
      cell: (key) => (
        <>
          {formatDate(key.createdAt)} by {key.createdBy?.name ?? "a former member"}
          <span className="block text-xs">{formatAge(key.createdAt, now)} old</span>
        </>
      ),
    },
    { header: "Last used", hideBelow: "md", className: "text-slate-500", cell: (key) => formatDate(key.lastUsedAt) },
    ...(canWrite
      ? [
          {
            header: "Actions",
            srOnlyHeader: true,
            align: "right" as const,
            cell: (key: UpstreamKeyView) => <Actions teamSlug={teamSlug} upstreamKey={key} />,
          },
        ]
      : []),
  ];
}
