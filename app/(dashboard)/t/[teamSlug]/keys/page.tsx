// /t/[teamSlug]/keys — member API keys: your own, or (owners and admins) everyone's.
import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { revokeKeyAction } from "@/lib/actions/revoke-key";
import { teamPageContext } from "@/lib/auth/team-page";
import { formatAge, formatDate } from "@/lib/format";
import { listKeys } from "@/lib/keys/store";

export const metadata: Metadata = { title: "API keys" };

const STATUS_TONE = { active: "green", expired: "amber", revoked: "slate" } as const;

export default async function KeysPage({
  params,
  searchParams,
}: {
  params: Promise<{ teamSlug: string }>;
  searchParams: Promise<{ show?: string }>;
}) {
  const ctx = await teamPageContext((await params).teamSlug, "api_keys.own");
  const showRevoked = (await searchParams).show === "revoked";
  const keys = await listKeys(ctx, { includeRevoked: showRevoked });
  const manager = ctx.permissions.has("api_keys.manage");
  const base = `/t/${ctx.team.slug}/keys`;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-500">
            {manager ? "Every member key of the team." : "Your keys."} Use one as the OpenAI SDK&apos;s{" "}
            <code>apiKey</code> with Keyward as its <code>baseURL</code>. Each key can do only what its scopes allow.
          </p>
        </div>
        <div className="flex gap-2">
          {ctx.permissions.has("api_keys.policy") ? (
            <ButtonLink href={`${base}/settings`} variant="secondary">
              Policy and management keys
            </ButtonLink>
          ) : null}
          <ButtonLink href={`${base}/new`}>Create a key</ButtonLink>
        </div>
      </div>
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
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs tracking-wide text-slate-500 uppercase">
                <tr>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Name
                  </th>
                  {manager ? (
                    <th scope="col" className="py-2 pr-3 font-medium">
                      Holder
                    </th>
                  ) : null}
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Scopes
                  </th>
                  <th scope="col" className="hidden py-2 pr-3 font-medium lg:table-cell">
                    Created
                  </th>
                  <th scope="col" className="hidden py-2 pr-3 font-medium lg:table-cell">
                    Last used
                  </th>
                  <th scope="col" className="hidden py-2 pr-3 font-medium md:table-cell">
                    Expires
                  </th>
                  <th scope="col" className="py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.map((key) => (
                  <tr key={key.id}>
                    <td className="py-3 pr-3">
                      <Link href={`${base}/${key.id}`} className="font-medium hover:underline">
                        {key.name}
                      </Link>
                      <p className="font-mono text-xs text-slate-500">{key.prefix}…</p>
                      <Badge tone={STATUS_TONE[key.status]}>{key.status}</Badge>
                    </td>
                    {manager ? <td className="py-3 pr-3 text-slate-600">{key.user?.name ?? "—"}</td> : null}
                    <td className="max-w-xs py-3 pr-3 text-xs text-slate-600">
                      {key.summary}
                      {key.status === "active" && key.effective && key.effective.narrowed.length > 0 ? (
                        <span className="mt-1 block">
                          <Badge tone="amber">narrowed</Badge> now: {key.effective.summary} (
                          {[
                            ...new Set(key.effective.narrowed.map((n) => (n.by === "role" ? "role" : "team policy"))),
                          ].join(", ")}
                          )
                        </span>
                      ) : null}
                    </td>
                    <td className="hidden py-3 pr-3 text-slate-500 lg:table-cell">
                      {formatDate(key.createdAt)}
                      <span className="block text-xs">{formatAge(key.createdAt)} old</span>
                    </td>
                    <td className="hidden py-3 pr-3 text-slate-500 lg:table-cell">{formatDate(key.lastUsedAt)}</td>
                    <td className="hidden py-3 pr-3 text-slate-500 md:table-cell">
                      {formatDate(key.expiresAt, "never")}
                    </td>
                    <td className="py-3 text-right">
                      {key.status !== "revoked" ? (
                        <ActionForm
                          action={revokeKeyAction}
                          hidden={{ teamSlug: ctx.team.slug, keyId: key.id }}
                          confirm={`Revoke ${key.name} (${key.prefix}…)? It stops working at once.`}
                        >
                          <Button type="submit" variant="danger" size="sm" aria-label={`Revoke ${key.name}`}>
                            Revoke
                          </Button>
                        </ActionForm>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
