// /t/[teamSlug]/upstream-keys — the team's real OpenAI keys: add, check, disable, delete. Owners and admins only.
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { teamPageContext } from "@/lib/auth/team-page";
import { listUpstreamKeys } from "@/lib/upstream/keys";
import { latestJob, staleSecretCount } from "@/lib/vault/reencryption-job";
import { teamRotationPolicy } from "@/lib/rotation/due";
import { readOpenAIAdminKey } from "@/lib/rotation/upstream";
import { AddKeyForm } from "./_components/add-key-form";
import { AdminKeyCard } from "./_components/admin-key-card";
import { EncryptionCard } from "./_components/encryption-card";
import { upstreamKeyColumns } from "./_components/key-columns";

export const metadata: Metadata = { title: "OpenAI keys" };

export default async function UpstreamKeysPage({ params }: { params: Promise<{ teamSlug: string }> }) {
  const ctx = await teamPageContext((await params).teamSlug, "upstream_keys.read");
  const [keys, job, stale, policy, adminKey] = await Promise.all([
    listUpstreamKeys(ctx),
    latestJob(ctx),
    staleSecretCount(ctx),
    teamRotationPolicy(ctx.team.id),
    readOpenAIAdminKey(ctx),
  ]);
  const canWrite = can(ctx.membership.role, "upstream_keys.write");
  return (
    <div className="space-y-6">
      <PageHeader
        title="OpenAI keys"
        description={
          <>
            Keyward signs your members&apos; calls with these keys. They are encrypted at rest and never shown again
            after saving — not to you, not to anyone. With several keys, calls are spread by weight.
          </>
        }
      />

      {canWrite ? (
        <Card title="Add a key" description="We check it against OpenAI (GET /models) before saving.">
          <AddKeyForm teamSlug={ctx.team.slug} />
        </Card>
      ) : null}

      <Card title={`Keys (${keys.length})`}>
        {keys.length === 0 ? (
          <EmptyState title="No OpenAI key yet.">Add your team&apos;s key above; members never see it.</EmptyState>
        ) : (
          <DataTable
            caption="The team's OpenAI keys"
            columns={upstreamKeyColumns({
              teamSlug: ctx.team.slug,
              canWrite,
              canRotate: adminKey !== null,
              policy,
              now: new Date(),
            })}
            rows={keys}
            rowKey={(key) => key.id}
          />
        )}
      </Card>

      {canWrite ? (
        <Card
          title="Automatic rotation"
          description={`With an OpenAI Admin key, Keyward replaces each OpenAI key by a new service-account key at ${policy.upstreamKeyMaxAgeDays} days (the team's rotation policy), moves traffic to it and deletes the old one a day later. Any failure leaves the old key serving and alerts owners and admins.`}
        >
          <AdminKeyCard
            teamSlug={ctx.team.slug}
            stored={
              adminKey && { keyHint: adminKey.keyHint, projectId: adminKey.projectId, autoRotate: adminKey.autoRotate }
            }
            maxAgeDays={policy.upstreamKeyMaxAgeDays}
          />
        </Card>
      ) : null}

      {keys.length > 0 ? (
        <EncryptionCard teamSlug={ctx.team.slug} initial={{ job, ...stale }} canWrite={canWrite} />
      ) : null}
    </div>
  );
}
