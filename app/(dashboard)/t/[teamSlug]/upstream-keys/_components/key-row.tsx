import { ActionForm } from "@/components/action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { deleteUpstreamKeyAction } from "@/lib/actions/delete-upstream-key";
import { setUpstreamKeyEnabledAction } from "@/lib/actions/set-upstream-key-enabled";
import { formatAge, formatDate } from "@/lib/format";
import type { UpstreamKeyView } from "@/lib/upstream/keys";
import { CheckKeyForm } from "./check-key-form";

export function KeyRow({
  teamSlug,
  upstreamKey: key,
  canWrite,
}: {
  teamSlug: string;
  upstreamKey: UpstreamKeyView;
  canWrite: boolean;
}) {
  const hidden = { teamSlug, keyId: key.id };
  return (
    <tr>
      <td className="py-3 pr-3">
        <p className="font-medium">{key.name}</p>
        <p className="text-xs text-slate-500">
          weight {key.weight}
          {key.projectId ? ` · ${key.projectId}` : ""}
          {key.organizationId ? ` · ${key.organizationId}` : ""}
        </p>
      </td>
      <td className="py-3 pr-3 font-mono text-xs" aria-label={`Key ${key.masked}`}>
        {key.masked}
      </td>
      <td className="py-3 pr-3">
        <div className="flex flex-wrap gap-1">
          {key.enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Disabled</Badge>}
          {key.verifiedAt ? (
            <Badge tone="brand">Checked {formatDate(key.verifiedAt)}</Badge>
          ) : (
            <Badge tone="amber">Not checked</Badge>
          )}
        </div>
      </td>
      <td className="hidden py-3 pr-3 text-slate-500 md:table-cell">
        {formatDate(key.createdAt)} by {key.createdBy?.name ?? "a former member"}
        <span className="block text-xs">{formatAge(key.createdAt)} old</span>
      </td>
      <td className="hidden py-3 pr-3 text-slate-500 md:table-cell">{formatDate(key.lastUsedAt)}</td>
      <td className="py-3 text-right">
        {canWrite ? (
          <div className="flex justify-end gap-2">
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
        ) : null}
      </td>
    </tr>
  );
}
