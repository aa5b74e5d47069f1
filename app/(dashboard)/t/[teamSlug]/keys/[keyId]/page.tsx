// /t/[teamSlug]/keys/[keyId] — one key: what it can do, its rotation (roll it, or its overlap), and its scopes editor.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ActionForm } from "@/components/action-form";
import { RotationBadge } from "@/components/keys/rotation-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { revokeKeyAction } from "@/lib/actions/revoke-key";
import { teamPageContext } from "@/lib/auth/team-page";
import { formatDate, formatDateTime, formatDateWithAge } from "@/lib/format/date";
import { getKeyWithEffective } from "@/lib/keys/store";
import { overlapOf } from "@/lib/rotation/overlap";
import { visibleRotationItems } from "@/lib/rotation/visible";
import { EditKeyForm } from "../_components/edit-key-form";
import { RollKeyForm } from "../_components/roll-key-form";

const requests = (n: number) => `${n.toLocaleString("en")} request${n === 1 ? "" : "s"}`;

export const metadata: Metadata = { title: "API key" };

export default async function KeyPage({ params }: { params: Promise<{ teamSlug: string; keyId: string }> }) {
  const { teamSlug, keyId } = await params;
  const ctx = await teamPageContext(teamSlug, "api_keys.own");
  const id = z.uuid().safeParse(keyId);
  if (!id.success) notFound();
  const key = await getKeyWithEffective(ctx, id.data).catch(() => notFound());
  const now = new Date();
  const [overlap, items] = await Promise.all([overlapOf(ctx.team.id, key.id, now), visibleRotationItems(ctx, now)]);
  const rotation = items.find((item) => item.kind === "member" && item.id === key.id);
  const facts = [
    ["Key", `${key.prefix}…`],
    ["Holder", key.user ? `${key.user.name} (${key.user.email})` : "—"],
    ["Created", formatDateWithAge(key.createdAt, now)],
    ["Last used", formatDate(key.lastUsedAt)],
    ["Expires", formatDate(key.expiresAt)],
    ...(rotation && overlap.role !== "old" ? [["Rotation due", formatDate(rotation.dueAt)]] : []),
  ];
  return (
    <div className="space-y-6">
      <PageHeader
        title={key.name}
        badge={
          <span className="inline-flex gap-1.5">
            <Badge tone={key.status === "active" ? "green" : "slate"}>{key.status}</Badge>
            {rotation && overlap.role !== "old" ? <RotationBadge status={rotation.status} /> : null}
          </span>
        }
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
      {overlap.role !== "none" ? (
        <Card title="Overlap" description="During a roll both keys work; the old one stops at the end of the overlap.">
          <p className="text-sm">
            {overlap.role === "old"
              ? `This key was rolled and stops working at ${formatDateTime(overlap.stopsAt)}.`
              : `The old key (${overlap.previous.prefix}…) keeps working until ${formatDateTime(overlap.stopsAt)}.`}
          </p>
          <p className="mt-1 text-sm text-slate-600">
            {overlap.role === "old" ? "Still used" : "Still used by the old key"}:{" "}
            <strong className="font-semibold text-slate-900">{requests(overlap.requestsLastHour)}</strong> in the last
            hour.
          </p>
        </Card>
      ) : null}
      {key.status === "active" ? (
        <Card
          title="Roll key"
          description="A new key with the same name, scopes and holder, shown once. Budgets and limits carry over."
        >
          <RollKeyForm
            teamSlug={ctx.team.slug}
            keyId={key.id}
            name={key.name}
            rolled={
              overlap.role === "old"
                ? { stopsAt: overlap.stopsAt.toISOString(), successorId: overlap.successor?.id ?? null }
                : null
            }
          />
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
