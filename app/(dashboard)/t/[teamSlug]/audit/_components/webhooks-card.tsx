// "Streaming to a SIEM": the team's audit webhooks with their delivery state, for owners and admins.
import { ActionForm } from "@/components/action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { deleteAuditWebhookAction } from "@/lib/actions/audit-webhooks";
import type { WebhookSummary } from "@/lib/audit/webhooks";
import { formatDate, formatDateTime } from "@/lib/format/date";
import { AddWebhookForm } from "./add-webhook-form";

export function WebhooksCard({ teamSlug, webhooks }: { teamSlug: string; webhooks: WebhookSummary[] }) {
  return (
    <Card
      title="Streaming to a SIEM"
      description="Every audit event is POSTed to these endpoints within seconds, signed with the endpoint's secret. A slow or failing endpoint never delays anyone's work: deliveries are retried in the background."
    >
      <div className="space-y-6">
        {webhooks.length === 0 ? (
          <EmptyState title="No endpoint yet.">Add your SIEM&apos;s webhook URL below.</EmptyState>
        ) : (
          <DataTable
            caption="Audit webhooks"
            rows={webhooks}
            rowKey={(webhook) => webhook.id}
            columns={[
              {
                header: "Endpoint",
                wrap: true,
                cell: (webhook) => (
                  <>
                    <p className="font-medium [overflow-wrap:anywhere]">{webhook.url}</p>
                    <p className="text-xs text-slate-500">added {formatDate(webhook.createdAt)}</p>
                  </>
                ),
              },
              {
                header: "Deliveries",
                cell: (webhook) => (
                  <div className="flex flex-wrap gap-1.5">
                    <Badge tone="green">{webhook.delivered} delivered</Badge>
                    {webhook.pending > 0 ? <Badge tone="amber">{webhook.pending} pending</Badge> : null}
                    {webhook.failed > 0 ? <Badge tone="amber">{webhook.failed} failed</Badge> : null}
                  </div>
                ),
              },
              {
                header: "Last problem",
                wrap: true,
                hideBelow: "lg",
                cell: (webhook) =>
                  webhook.lastError ? (
                    <span className="text-red-700">
                      {webhook.lastError}
                      {webhook.lastAttemptAt ? ` (${formatDateTime(webhook.lastAttemptAt)})` : ""}
                    </span>
                  ) : (
                    <span className="text-slate-500">None</span>
                  ),
              },
              {
                header: "Actions",
                srOnlyHeader: true,
                align: "right",
                cell: (webhook) => (
                  <ActionForm
                    action={deleteAuditWebhookAction}
                    hidden={{ teamSlug, webhookId: webhook.id }}
                    confirm={`Stop sending audit events to ${webhook.url}?`}
                  >
                    <Button type="submit" variant="danger" size="sm" aria-label={`Remove ${webhook.url}`}>
                      Remove
                    </Button>
                  </ActionForm>
                ),
              },
            ]}
          />
        )}
        <AddWebhookForm teamSlug={teamSlug} />
      </div>
    </Card>
  );
}
