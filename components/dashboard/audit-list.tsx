import type { AuditEventRow } from "@/lib/audit/queries";
import { formatDateTime } from "@/lib/format/date";

const DESCRIPTIONS: Record<string, string> = {
  "user.sign_up": "signed up",
  "team.create": "created the team",
  "team.rename": "renamed the team to",
  "invite.create": "invited",
  "invite.revoke": "revoked the invitation of",
  "invite.accept": "accepted an invitation",
  "member.role_change": "changed the role of",
  "member.remove": "removed",
  "member.leave": "left the team",
  "team.ownership_transfer": "transferred ownership to",
  "upstream_key.create": "added the OpenAI key",
  "upstream_key.enable": "enabled the OpenAI key",
  "upstream_key.disable": "disabled the OpenAI key",
  "upstream_key.delete": "deleted the OpenAI key",
  "api_key.create": "created the key",
  "api_key.update": "changed the scopes of the key",
  "api_key.revoke": "revoked the key",
  "team.key_policy_update": "changed the team's key policy",
  "encryption.reencrypt": "re-encrypted the team's keys",
};

function targetLabel(targets: AuditEventRow["targets"]): string {
  if (!Array.isArray(targets)) return "";
  const first = targets[0];
  if (first && typeof first === "object" && !Array.isArray(first) && typeof first.label === "string")
    return first.label;
  return "";
}

export function AuditList({ events }: { events: AuditEventRow[] }) {
  return (
    <ol className="divide-y divide-slate-100">
      {events.map((event) => {
        const description = DESCRIPTIONS[event.action] ?? event.action;
        const target = ["invite.accept", "member.leave", "team.create", "user.sign_up"].includes(event.action)
          ? ""
          : targetLabel(event.targets);
        return (
          <li key={event.id} className="flex items-baseline justify-between gap-4 py-2.5 text-sm">
            <span className="min-w-0 [overflow-wrap:anywhere]">
              <span className="font-medium">{event.actorLabel ?? "System"}</span> {description}{" "}
              {target ? <span className="font-medium">{target}</span> : null}
            </span>
            <time dateTime={event.createdAt.toISOString()} className="shrink-0 text-xs text-slate-500">
              {formatDateTime(event.createdAt)}
            </time>
          </li>
        );
      })}
    </ol>
  );
}
