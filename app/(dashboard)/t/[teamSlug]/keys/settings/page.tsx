// /t/[teamSlug]/keys/settings — the team's key policy and its management keys (owners and admins).
import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { revokeManagementKeyAction } from "@/lib/actions/revoke-management-key";
import { teamPageContext } from "@/lib/auth/team-page";
import { formatDate } from "@/lib/format/date";
import { listManagementKeys } from "@/lib/keys/management";
import { readTeamKeyPolicy } from "@/lib/keys/team-policy";
import { ManagementKeyForm } from "../_components/management-key-form";
import { readRotationPolicyOf } from "@/lib/rotation/team-policy";
import { PolicyForm } from "../_components/policy-form";
import { RotationPolicyForm } from "../_components/rotation-policy-form";

export const metadata: Metadata = { title: "Key policy" };

export default async function KeySettingsPage({ params }: { params: Promise<{ teamSlug: string }> }) {
  const ctx = await teamPageContext((await params).teamSlug, "api_keys.policy");
  const [policy, managementKeys, rotation] = await Promise.all([
    readTeamKeyPolicy(ctx),
    listManagementKeys(ctx),
    readRotationPolicyOf(ctx),
  ]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Key policy and management keys"
        description="The policy is the ceiling for every member key, at every request: no key can be created wider than this, and existing wider keys are narrowed to it."
      />
      <Card title="Team key policy">
        <PolicyForm teamSlug={ctx.team.slug} policy={policy} />
      </Card>
      <Card
        title="Rotation policy"
        description="When keys are due for rotation, when their holders (or, for management and OpenAI keys, owners and admins) are reminded by e-mail and the audit webhooks, and what happens at the due date."
      >
        <RotationPolicyForm teamSlug={ctx.team.slug} policy={rotation} />
      </Card>
      <Card
        title="Management keys"
        description="For scripts that manage members' keys through the REST API (see /api/openapi.json)."
      >
        <div className="space-y-4">
          {managementKeys.length === 0 ? (
            <EmptyState title="No management keys." />
          ) : (
            <ul className="divide-y divide-slate-100">
              {managementKeys.map((key) => (
                <li key={key.id} className="flex items-center justify-between gap-3 py-3 text-sm">
                  <div className="min-w-0 [overflow-wrap:anywhere]">
                    <p className="font-medium">
                      {key.name} <span className="font-mono text-xs text-slate-500">{key.prefix}…</span>
                    </p>
                    <p className="text-xs text-slate-500">
                      {key.scopes.join(", ")} · by {key.user?.name ?? "a former member"} · last used{" "}
                      {formatDate(key.lastUsedAt)}
                    </p>
                  </div>
                  <ActionForm
                    action={revokeManagementKeyAction}
                    hidden={{ teamSlug: ctx.team.slug, keyId: key.id }}
                    confirm={`Revoke ${key.name}?`}
                  >
                    <Button type="submit" variant="danger" size="sm" aria-label={`Revoke ${key.name}`}>
                      Revoke
                    </Button>
                  </ActionForm>
                </li>
              ))}
            </ul>
          )}
          {ctx.permissions.has("management_keys.write") ? <ManagementKeyForm teamSlug={ctx.team.slug} /> : null}
        </div>
      </Card>
    </div>
  );
}
