// /t/[teamSlug]/keys/[keyId] — one key: what it can do, and its scopes editor.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ActionForm } from "@/components/action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { revokeKeyAction } from "@/lib/actions/revoke-key";
import { teamPageContext } from "@/lib/auth/team-page";
import { formatDate, formatDateWithAge } from "@/lib/format/date";
import { getKeyWithEffective } from "@/lib/keys/store";
import { EditKeyForm } from "../_components/edit-key-form";

export const metadata: Metadata = { title: "API key" };

export default async function KeyPage({ params }: { params: Promise<{ teamSlug: string; keyId: string }> }) {
  const { teamSlug, keyId } = await params;
  const ctx = await teamPageContext(teamSlug, "api_keys.own");
  const id = z.uuid().safeParse(keyId);
  if (!id.success) notFound();
  const key = await getKeyWithEffective(ctx, id.data).catch(() => notFound());
  const facts = [
    ["Key", `${key.prefix}…`],
    ["Holder", key.user ? `${key.user.name} (${key.user.email})` : "—"],
    ["Created", formatDateWithAge(key.createdAt, new Date())],
    ["Last used", formatDate(key.lastUsedAt)],
    ["Expires", formatDate(key.expiresAt)],
  ];
  return (
    <div className="space-y-6">
      <PageHeader
        title={key.name}
        badge={<Badge tone={key.status === "active" ? "green" : "slate"}>{key.status}</Badge>}
        description={key.summary}
        actions={
          key.status !== "revoked" ? (
            <ActionForm
              action={revokeKeyAction}
              hidden={{ teamSlug: ctx.team.slug, keyId: key.id }}
              confirm={`Revoke ${key.name}? It stops working at once.`}
            >
              <Button type="submit" variant="danger">
                Revoke key
              </Button>
            </ActionForm>
          ) : null
        }
      />
      <Card>
        <dl className="grid gap-3 text-sm [overflow-wrap:anywhere] sm:grid-cols-2">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className="text-slate-500">{label}</dt>
              <dd className="font-medium">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
      {key.status === "active" && key.effective && key.effective.narrowed.length > 0 ? (
        <Card
          title="What this key can do now"
          description="The team's key policy and the holder's role are ceilings on every key, at every request."
        >
          <p className="text-sm font-medium">{key.effective.summary}</p>
          <ul className="mt-3 space-y-1 text-sm text-slate-600" aria-label="Narrowed by">
            {key.effective.narrowed.map((n) => (
              <li key={`${n.field}-${n.by}`}>
                <Badge tone="amber">{n.by === "role" ? "role" : "team policy"}</Badge> {n.message}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {key.status !== "revoked" ? (
        <Card title="Scopes" description="Changes apply to the very next request made with this key.">
          <EditKeyForm teamSlug={ctx.team.slug} keyId={key.id} name={key.name} scopes={key.scopes} />
        </Card>
      ) : null}
    </div>
  );
}
