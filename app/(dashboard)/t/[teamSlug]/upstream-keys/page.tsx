// /t/[teamSlug]/upstream-keys — the team's real OpenAI keys: add, check, disable, delete. Owners and admins only.
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { can } from "@/lib/auth/permissions";
import { teamPageContext } from "@/lib/auth/team-page";
import { listUpstreamKeys } from "@/lib/upstream/keys";
import { latestJob, staleSecretCount } from "@/lib/vault/reencryption-job";
import { AddKeyForm } from "./_components/add-key-form";
import { EncryptionCard } from "./_components/encryption-card";
import { KeyRow } from "./_components/key-row";

export const metadata: Metadata = { title: "OpenAI keys" };

export default async function UpstreamKeysPage({ params }: { params: Promise<{ teamSlug: string }> }) {
  const ctx = await teamPageContext((await params).teamSlug, "upstream_keys.read");
  const [keys, job, stale] = await Promise.all([listUpstreamKeys(ctx), latestJob(ctx), staleSecretCount(ctx)]);
  const canWrite = can(ctx.membership.role, "upstream_keys.write");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">OpenAI keys</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-500">
          Keyward signs your members&apos; calls with these keys. They are encrypted at rest and never shown again after
          saving — not to you, not to anyone. With several keys, calls are spread by weight.
        </p>
      </div>

      {canWrite ? (
        <Card title="Add a key" description="We check it against OpenAI (GET /models) before saving.">
          <AddKeyForm teamSlug={ctx.team.slug} />
        </Card>
      ) : null}

      <Card title={`Keys (${keys.length})`}>
        {keys.length === 0 ? (
          <EmptyState title="No OpenAI key yet.">Add your team&apos;s key above; members never see it.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs tracking-wide text-slate-500 uppercase">
                <tr>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Name
                  </th>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Key
                  </th>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Status
                  </th>
                  <th scope="col" className="hidden py-2 pr-3 font-medium md:table-cell">
                    Added
                  </th>
                  <th scope="col" className="hidden py-2 pr-3 font-medium md:table-cell">
                    Last used
                  </th>
                  <th scope="col" className="py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.map((key) => (
                  <KeyRow key={key.id} teamSlug={ctx.team.slug} upstreamKey={key} canWrite={canWrite} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      {keys.length > 0 ? (
        <EncryptionCard teamSlug={ctx.team.slug} initial={{ job, ...stale }} canWrite={canWrite} />
      ) : null}
    </div>
  );
}
