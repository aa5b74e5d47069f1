// /t/[teamSlug]/keys — member API keys: your own (with what of yours is due for rotation first), or (owners
// and admins) everyone's.
import type { Metadata } from "next";
import Link from "next/link";
import { DueList } from "@/components/keys/due-list";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { teamPageContext } from "@/lib/auth/team-page";
import { listKeys } from "@/lib/keys/store";
import { dueItems } from "@/lib/rotation/due";
import { visibleRotationItems } from "@/lib/rotation/visible";
import { keyColumns } from "./_components/key-columns";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage({
  params,
  searchParams,
}: {
  params: Promise<{ teamSlug: string }>;
  searchParams: Promise<{ show?: string }>;
}) {
  const ctx = await teamPageContext((await params).teamSlug, "api_keys.own");
  const showRevoked = (await searchParams).show === "revoked";
  const now = new Date();
  const [keys, items] = await Promise.all([
    listKeys(ctx, { includeRevoked: showRevoked }),
    visibleRotationItems(ctx, now),
  ]);
  const rotation = new Map(items.filter((item) => item.kind === "member").map((item) => [item.id, item]));
  const manager = ctx.permissions.has("api_keys.manage");
  // A member's own page leads with what of theirs is due (managers have the team home's card for the team's).
  const ownDue = manager ? [] : dueItems(items);
  const base = `/t/${ctx.team.slug}/keys`;
  return (
    <div className="space-y-6">
      <PageHeader
        title="API keys"
        description={
          <>
            {manager ? "Every member key of the team." : "Your keys."} Use one as the OpenAI SDK&apos;s{" "}
            <code>apiKey</code> with Keyward as its <code>baseURL</code>. Each key can do only what its scopes allow.
          </>
        }
        actions={
          <>
            {ctx.permissions.has("api_keys.policy") ? (
              <ButtonLink href={`${base}/settings`} variant="secondary">
                Policy and management keys
              </ButtonLink>
            ) : null}
            <ButtonLink href={`${base}/new`}>Create a key</ButtonLink>
          </>
        }
      />
      {ownDue.length > 0 ? (
        <Card title="Due for rotation" description="Roll these keys: open one, then choose Roll key.">
          <DueList teamSlug={ctx.team.slug} items={ownDue} label="Your keys due for rotation" />
        </Card>
      ) : null}
      <Card
        title={`${showRevoked ? "All" : "Active"} keys (${keys.length})`}
        actions={
          <Link href={showRevoked ? base : `${base}?show=revoked`} className="text-sm text-brand-700 hover:underline">
            {showRevoked ? "Hide revoked" : "Show revoked"}
          </Link>
        }
      >
        {keys.length === 0 ? (
          <EmptyState title="No keys yet.">Create one to call the OpenAI API through Keyward.</EmptyState>
        ) : (
          <DataTable
            caption={manager ? "Member keys of the team" : "Your keys"}
            columns={keyColumns({ teamSlug: ctx.team.slug, manager, now, rotation })}
            rows={keys}
            rowKey={(key) => key.id}
          />
        )}
      </Card>
    </div>
  );
}
