// The columns of the team's OpenAI keys table.
import { ActionForm } from "@/components/action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { Column } from "@/components/ui/data-table";
import { deleteUpstreamKeyAction } from "@/lib/actions/delete-upstream-key";
import { setUpstreamKeyEnabledAction } from "@/lib/actions/set-upstream-key-enabled";
import { formatAge, formatDate } from "@/lib/format/date";
import { RotationBadge } from "@/components/keys/rotation-badge";
import { rotationOf, type RotationPolicy } from "@/lib/rotation/policy";
import type { UpstreamKeyView } from "@/lib/upstream/keys";
import { CheckKeyForm } from "./check-key-form";
import { RotateNowForm } from "./rotate-now-form";

function Actions({
  teamSlug,
  upstreamKey: key,
  canRotate,
}: {
  teamSlug: string;
  upstreamKey: UpstreamKeyView;
  canRotate: boolean;
}) {
  const hidden = { teamSlug, keyId: key.id };
  return (
    <div className="flex flex-wrap gap-2 sm:justify-end">
      <CheckKeyForm teamSlug={teamSlug} keyId={key.id} name={key.name} />
      {canRotate && key.enabled && !key.retiresAt ? (
        <RotateNowForm teamSlug={teamSlug} keyId={key.id} name={key.name} />
      ) : null}
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
  canRotate,
  policy,
  now,
}: {
  teamSlug: string;
  canWrite: boolean;
  /** An OpenAI Admin key is stored: "Rotate now" is offered. */
  canRotate: boolean;
  policy: RotationPolicy;
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
          {key.retiresAt ? (
            <Badge tone="amber">Rotated · retires {formatDate(key.retiresAt)}</Badge>
          ) : key.enabled ? (
            <RotationBadge
              status={
                rotationOf(policy, { kind: "upstream", createdAt: key.createdAt, rotationDays: null }, now).status
              }
            />
          ) : null}
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
          <span className="block text-xs">
            due{" "}
            {formatDate(
              rotationOf(policy, { kind: "upstream", createdAt: key.createdAt, rotationDays: null }, now).dueAt,
            )}
          </span>
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
            cell: (key: UpstreamKeyView) => <Actions teamSlug={teamSlug} upstreamKey={key} canRotate={canRotate} />,
          },
        ]
      : []),
  ];
}
