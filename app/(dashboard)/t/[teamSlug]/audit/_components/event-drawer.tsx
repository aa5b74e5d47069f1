"use client";
// One audit entry in full, as a drawer over the log: a native modal <dialog> (focus kept inside, Escape
// closes, the page behind is inert). Its URL is the log's URL plus ?event=…, so a link to one event can be
// shared; closing it returns to the same view without the event.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { DiffRow } from "@/lib/audit/diff";

export type EventDetail = {
  time: string;
  timeLabel: string;
  sentence: string;
  action: string;
  source: "audit" | "sign_in";
  actor: string;
  actorHref: string | null;
  outcome: "success" | "failure";
  targets: { type: string; label: string; href: string | null }[];
  ip: string | null;
  userAgent: string | null;
  changes: DiffRow[];
  metadata: string;
  id: string;
  /** Where this event was streamed (audit webhooks), with each delivery's state. */
  deliveries: {
    id: string;
    url: string;
    status: "pending" | "delivered" | "failed";
    attempts: number;
    lastError: string | null;
  }[];
};

const DELIVERY_STATUS = { delivered: "Delivered", pending: "Retrying", failed: "Failed" } as const;

const TARGET_TYPES: Record<string, string> = {
  api_key: "Key",
  upstream_key: "OpenAI key",
  membership: "Member",
  user: "User",
  invite: "Invitation",
  team: "Team",
};

export function EventDrawer({ event, closeHref }: { event: EventDetail; closeHref: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      aria-labelledby="event-title"
      onClose={() => router.replace(closeHref, { scroll: false })}
      className="m-0 ml-auto h-dvh max-h-none w-full max-w-lg overflow-y-auto bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="flex items-start justify-between gap-4 border-b border-slate-100 px-5 py-4">
        <div className="min-w-0">
          <h2 id="event-title" className="text-base font-semibold [overflow-wrap:anywhere] text-slate-900">
            {event.sentence}
          </h2>
          <p className="mt-0.5 text-sm text-slate-500">
            <time dateTime={event.time}>{event.timeLabel}</time>
          </p>
        </div>
        <Button variant="ghost" size="sm" onClick={() => dialog.current?.close()}>
          Close
        </Button>
      </div>
      <dl className="space-y-4 px-5 py-4 text-sm">
        <Row label="Actor">
          {event.actorHref ? (
            <Link href={event.actorHref} className="font-medium text-brand-700 underline">
              {event.actor}
            </Link>
          ) : (
            event.actor
          )}
        </Row>
        <Row label="Action">
          <code className="text-xs">{event.action}</code>{" "}
          {event.outcome === "failure" ? <Badge tone="amber">Failed</Badge> : <Badge tone="green">Succeeded</Badge>}
        </Row>
        <Row label="Targets">
          {event.targets.length === 0 ? (
            "—"
          ) : (
            <ul className="space-y-1">
              {event.targets.map((target, index) => (
                <li key={`${target.type}-${index}`}>
                  <span className="text-slate-500">{TARGET_TYPES[target.type] ?? target.type}:</span>{" "}
                  {target.href ? (
                    <Link href={target.href} className="font-medium text-brand-700 underline">
                      {target.label}
                    </Link>
                  ) : (
                    <span className="font-medium">{target.label}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Row>
        <Row label="IP address">{event.ip ?? "—"}</Row>
        <Row label="User agent">
          <span className="[overflow-wrap:anywhere]">{event.userAgent ?? "—"}</span>
        </Row>
        {event.changes.length > 0 ? (
          <div>
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">What changed</dt>
            <dd className="mt-1 overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">What changed</caption>
                <thead className="text-xs text-slate-500">
                  <tr>
                    <th scope="col" className="py-1 pr-3 font-medium">
                      Field
                    </th>
                    <th scope="col" className="py-1 pr-3 font-medium">
                      Before
                    </th>
                    <th scope="col" className="py-1 font-medium">
                      After
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 align-top">
                  {event.changes.map((change) => (
                    <tr key={change.field}>
                      <th scope="row" className="py-1.5 pr-3 font-medium">
                        {change.label}
                      </th>
                      <td className="py-1.5 pr-3 [overflow-wrap:anywhere] text-red-700">
                        <span className="sr-only">Before: </span>
                        {change.before}
                      </td>
                      <td className="py-1.5 [overflow-wrap:anywhere] text-emerald-700">
                        <span className="sr-only">After: </span>
                        {change.after}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </dd>
          </div>
        ) : null}
        <div>
          <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Recorded details</dt>
          <dd className="mt-1">
            <pre className="max-h-64 overflow-auto rounded-md bg-slate-50 p-3 text-xs text-slate-700">
              {event.metadata}
            </pre>
          </dd>
        </div>
        {event.deliveries.length > 0 ? (
          <Row label="Streamed to">
            <ul className="space-y-1">
              {event.deliveries.map((delivery) => (
                <li key={delivery.id} className="[overflow-wrap:anywhere]">
                  <Badge tone={delivery.status === "delivered" ? "green" : "amber"}>
                    {delivery.status === "pending" && delivery.attempts === 0
                      ? "Queued"
                      : DELIVERY_STATUS[delivery.status]}
                  </Badge>{" "}
                  {delivery.url}
                  <span className="text-slate-500">
                    {" "}
                    · {delivery.attempts} {delivery.attempts === 1 ? "attempt" : "attempts"}
                    {delivery.lastError ? ` · ${delivery.lastError}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          </Row>
        ) : null}
        <Row label="Event id">
          <code className="text-xs [overflow-wrap:anywhere]">
            {event.source}:{event.id}
          </code>
        </Row>
      </dl>
    </dialog>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1 text-slate-900">{children}</dd>
    </div>
  );
}
