// The audit timeline's filters: parsed from a URL's query (page, API and export share this one schema), so a
// filtered view can be shared, bookmarked and exported exactly as it is seen.
import { z } from "zod";
import { parseCidr } from "@/lib/keys/scopes";
import { AUDIT_ACTIONS, type AuditAction } from "./record";

export const ACTION_GROUPS = ["keys", "members", "vault", "policy", "sign_ins", "team", "audit"] as const;
export type ActionGroup = (typeof ACTION_GROUPS)[number];

export const ACTION_GROUP_LABELS: Record<ActionGroup, string> = {
  keys: "Keys",
  members: "Members",
  vault: "Vault",
  policy: "Policy",
  sign_ins: "Sign-ins",
  team: "Team",
  audit: "Audit log",
};

/** Every audit action belongs to exactly one group; the Record makes a new action without a group a type error. */
export const ACTION_GROUP: Record<AuditAction, ActionGroup> = {
  "user.sign_up": "sign_ins",
  "user.password_change": "sign_ins",
  "user.sign_out_everywhere": "sign_ins",
  "user.two_factor_reset": "sign_ins",
  "team.create": "team",
  "team.rename": "team",
  "team.delete": "team",
  "team.ownership_transfer": "members",
  "invite.create": "members",
  "invite.revoke": "members",
  "invite.accept": "members",
  "member.role_change": "members",
  "member.remove": "members",
  "member.leave": "members",
  "upstream_key.create": "vault",
  "upstream_key.enable": "vault",
  "upstream_key.disable": "vault",
  "upstream_key.delete": "vault",
  "encryption.reencrypt": "vault",
  "api_key.create": "keys",
  "api_key.update": "keys",
  "api_key.revoke": "keys",
  "team.key_policy_update": "policy",
  "team.two_factor_policy_update": "policy",
  "audit.export": "audit",
  "audit.prune": "audit",
  "audit.webhook_create": "audit",
  "audit.webhook_delete": "audit",
  "audit.retention_update": "audit",
  "api_key.roll": "keys",
  "key.rotation_reminder": "keys",
  "key.rotation_expire": "keys",
  "team.rotation_policy_update": "policy",
  "upstream_key.rotation_start": "vault",
  "upstream_key.rotation_complete": "vault",
  "upstream_key.rotation_failed": "vault",
  "upstream_key.admin_key_set": "vault",
  "upstream_key.admin_key_remove": "vault",
};

export function actionsInGroup(group: ActionGroup): AuditAction[] {
  return AUDIT_ACTIONS.filter((action) => ACTION_GROUP[action] === group);
}

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalText = z.preprocess(blankToUndefined, z.string().trim().max(200).optional());
const DAY_MS = 86_400_000;
/** A date or an instant (UTC). A bare day as the end of a range means the whole of that day. */
const optionalDate = (label: string, bareDay: "start" | "end") =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine((text) => !Number.isNaN(Date.parse(text)), `${label} must be a date, such as 2026-12-01.`)
      .transform((text) =>
        bareDay === "end" && /^\d{4}-\d{2}-\d{2}$/.test(text)
          ? new Date(Date.parse(text) + DAY_MS - 1)
          : new Date(text),
      )
      .optional(),
  );

export const auditFiltersSchema = z
  .object({
    actor: optionalText,
    group: z.preprocess(blankToUndefined, z.enum(ACTION_GROUPS).optional()),
    target: optionalText,
    outcome: z.preprocess(blankToUndefined, z.enum(["success", "failure"]).optional()),
    ip: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .refine(
          (text) => parseCidr(text) !== null,
          "IP or CIDR must be an address such as 10.0.0.1 or a range such as 10.0.0.0/8.",
        )
        .optional(),
    ),
    from: optionalDate("From", "start"),
    to: optionalDate("To", "end"),
  })
  .refine((f) => !f.from || !f.to || f.from.getTime() <= f.to.getTime(), {
    message: "From must not be after To.",
    path: ["from"],
  });

export type AuditFilters = z.infer<typeof auditFiltersSchema>;

/** Reads filters from URL search parameters (the first value of each name). */
export function parseAuditFilters(params: URLSearchParams) {
  const raw: Record<string, string> = {};
  for (const key of ["actor", "group", "target", "outcome", "ip", "from", "to"]) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  return auditFiltersSchema.safeParse(raw);
}
