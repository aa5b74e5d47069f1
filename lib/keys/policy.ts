// The team's ceiling for member keys: no key is created wider than the team policy or its holder's role.
import { z } from "zod";
import type { Role } from "@/lib/auth/permissions";
import {
  ACCESS_RANK,
  budgetSchema,
  cidrWithin,
  ENDPOINT_GROUPS,
  endpointsSchema,
  formatBudget,
  formatUsd,
  globMatch,
  ipAllowListSchema,
  limitsSchema,
  modelPatternsSchema,
  parseCidr,
  unknownFieldError,
  type Access,
  type Budget,
  type BudgetPeriod,
  type KeyScopes,
} from "@/lib/keys/scopes";

export const teamKeyPolicySchema = z.strictObject(
  {
    endpoints: endpointsSchema, // the highest access a key may have, per group
    models: modelPatternsSchema.optional(), // patterns a key's patterns must stay inside; undefined = any
    limits: limitsSchema.optional(), // the highest rpm/tpm a key may have
    budget: budgetSchema.optional(), // the largest budget a key may have
    maxLifetimeDays: z
      .number()
      .int("Use a whole number of days.")
      .min(1, "Keys must live at least 1 day.")
      .max(3650, "Use at most 3650 days (10 years).")
      .optional(),
    ipAllowList: ipAllowListSchema.optional(), // ranges every key's ranges must stay inside
  },
  { error: unknownFieldError("key policy") },
);
export type TeamKeyPolicy = z.infer<typeof teamKeyPolicySchema>;

function everyGroup(access: Access): TeamKeyPolicy["endpoints"] {
  const endpoints: TeamKeyPolicy["endpoints"] = {};
  for (const group of ENDPOINT_GROUPS) endpoints[group] = access;
  return endpoints;
}

/** Permissive: every group writable, any model, no limits. Teams narrow it from here. */
export const DEFAULT_TEAM_POLICY: TeamKeyPolicy = Object.freeze({ endpoints: Object.freeze(everyGroup("write")) });

/**
 * The most any key held by a role may do. Viewers look but never change anything, so: read keys only.
 * Auditors hold no member keys (no api_keys.own); should one remain from an earlier role, it can do nothing.
 */
export const ROLE_CEILING: Record<Role, Access> = {
  owner: "write",
  admin: "write",
  member: "write",
  viewer: "read",
  auditor: "none",
};

/** A refused limit: the scopes path it concerns and a message meant to follow that field's name or label. */
export type CeilingProblem = { path: string; message: string };
export type CeilingResult = { ok: true; scopes: KeyScopes } | { ok: false; problems: CeilingProblem[] };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How many budget windows of the key's period can overlap one window of the policy's period, at most (UTC
 * calendar windows, weeks of 7 days, months of up to 31 days; also an upper bound for rolling windows).
 * A key that may spend A per key-window can spend up to A × this inside one policy window, so it fits iff
 * A × this ≤ the policy amount. A periodic key has no bound over a lifetime: it never fits a lifetime cap.
 */
const WINDOWS_PER_POLICY_WINDOW: Record<BudgetPeriod, Record<BudgetPeriod, number>> = {
  day: { day: 1, week: 7, month: 31, lifetime: Infinity },
  week: { day: 1, week: 1, month: 6, lifetime: Infinity }, // a 31-day month touches up to 6 calendar weeks
  month: { day: 1, week: 2, month: 1, lifetime: Infinity }, // a week can straddle two months
  lifetime: { day: 1, week: 1, month: 1, lifetime: 1 },
};

const cents = (usd: number) => Math.round(usd * 100);

function budgetProblem(requested: Budget, ceiling: Budget): string | null {
  const windows = WINDOWS_PER_POLICY_WINDOW[requested.period][ceiling.period];
  if (cents(requested.amountUsd) * windows <= cents(ceiling.amountUsd)) return null;
  const policy = `the team policy (${formatBudget(ceiling)})`;
  if (windows === Infinity)
    return `${formatBudget(requested)} has no lifetime total, so it cannot fit ${policy}; use a lifetime budget.`;
  if (windows === 1) return `${formatBudget(requested)} exceeds ${policy}.`;
  const worst = formatUsd((cents(requested.amountUsd) * windows) / 100);
  const window = ceiling.period === "day" ? "one day" : `one ${ceiling.period}`;
  return `${formatBudget(requested)} can add up to ${worst} in ${window}, which exceeds ${policy}.`;
}

/** Whether every model a glob `inner` matches is matched by glob `outer`. Sound, and refuses when unsure. */
export function patternCovered(inner: string, outer: string): boolean {
  // Match `outer` against the text of `inner`, its `*`s taken literally: outer's literal characters can only
  // line up with inner's literal characters (they are never "*"), so each of inner's wildcards falls inside
  // one of outer's. "text-embedding-3-*" ⊆ "text-embedding-*" ⊆ "*"; "gpt-*" ⊄ "gpt-4o".
  return globMatch(outer.split("*"), inner);
}

const DATE = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Clamps a requested key to the team policy and the holder's role. A requested limit wider than the policy
 * is refused (never silently narrowed, so the creator sees what they get); an omitted limit inherits the
 * policy's, so a key is never less limited than its team allows.
 */
export function applyCeiling(
  requested: KeyScopes,
  policy: TeamKeyPolicy,
  holderRole: Role,
  now: Date = new Date(),
): CeilingResult {
  const problems: CeilingProblem[] = [];
  const refuse = (path: string, message: string) => problems.push({ path, message });
  const scopes: KeyScopes = { endpoints: {} };

  const roleCeiling = ROLE_CEILING[holderRole];
  for (const group of ENDPOINT_GROUPS) {
    const want = requested.endpoints[group] ?? "none";
    const teamMax = policy.endpoints[group] ?? "none";
    if (ACCESS_RANK[want] > ACCESS_RANK[teamMax])
      refuse(`endpoints.${group}`, `${want} exceeds the team policy (${teamMax}).`);
    else if (ACCESS_RANK[want] > ACCESS_RANK[roleCeiling])
      refuse(`endpoints.${group}`, `${want} exceeds what a ${holderRole} may hold (${roleCeiling}).`);
    else if (want !== "none") scopes.endpoints[group] = want;
  }

  if (policy.models === undefined || requested.models === undefined) {
    const models = requested.models ?? policy.models;
    if (models) scopes.models = [...models];
  } else {
    const allowed = policy.models;
    const outside = requested.models.filter((pattern) => !allowed.some((outer) => patternCovered(pattern, outer)));
    for (const pattern of outside)
      refuse("models", `"${pattern}" is not covered by the team policy (${allowed.join(", ")}).`);
    scopes.models = [...requested.models];
  }

  for (const field of ["rpm", "tpm"] as const) {
    const want = requested.limits?.[field];
    const max = policy.limits?.[field];
    if (want !== undefined && max !== undefined && want > max)
      refuse(`limits.${field}`, `${want} exceeds the team policy (${max}).`);
    const value = want ?? max;
    if (value !== undefined) scopes.limits = { ...scopes.limits, [field]: value };
  }

  if (requested.budget && policy.budget) {
    const problem = budgetProblem(requested.budget, policy.budget);
    if (problem) refuse("budget", problem);
  }
  const budget = requested.budget ?? policy.budget;
  if (budget) scopes.budget = { ...budget };

  const latest = policy.maxLifetimeDays === undefined ? undefined : now.getTime() + policy.maxLifetimeDays * DAY_MS;
  if (requested.expiresAt !== undefined) {
    const expires = Date.parse(requested.expiresAt);
    if (!(expires > now.getTime())) refuse("expiresAt", "the expiry must be in the future.");
    else if (latest !== undefined && expires > latest) {
      refuse(
        "expiresAt",
        `${DATE(expires)} is later than the team policy allows (at most ${policy.maxLifetimeDays} days, until ${DATE(latest)}).`,
      );
    }
    scopes.expiresAt = new Date(expires).toISOString();
  } else if (latest !== undefined) {
    scopes.expiresAt = new Date(latest).toISOString();
  }

  if (policy.ipAllowList === undefined || requested.ipAllowList === undefined) {
    const ranges = requested.ipAllowList ?? policy.ipAllowList;
    if (ranges) scopes.ipAllowList = [...ranges];
  } else {
    const outer = policy.ipAllowList.map(parseCidr).filter((cidr) => cidr !== null);
    for (const text of requested.ipAllowList) {
      const inner = parseCidr(text);
      if (!inner) refuse("ipAllowList", `"${text}" is not a valid IPv4 or IPv6 CIDR.`);
      else if (!outer.some((range) => cidrWithin(inner, range))) {
        refuse("ipAllowList", `${text} is not inside the team policy's ranges (${policy.ipAllowList.join(", ")}).`);
      }
    }
    scopes.ipAllowList = [...requested.ipAllowList];
  }

  return problems.length > 0 ? { ok: false, problems } : { ok: true, scopes };
}

/** Why a key's effective scope is narrower than its own: which ceiling, and what it changed. */
export type Narrowing = { field: string; by: "role" | "policy"; message: string };
export type EffectiveScopes = {
  scopes: KeyScopes;
  /** Patterns and ranges a request must also match (the team policy's), beside the key's own. */
  alsoModels?: string[];
  alsoIpAllowList?: string[];
  narrowed: Narrowing[];
};

/**
 * What a key may do right now: its own scopes intersected with the team's key policy and its holder's role,
 * as they are today (a key issued under a wider policy, or before its holder was demoted, is narrowed; never
 * widened). Worked out when the proxy loads the key, and shown on the key pages with the reasons.
 */
export function effectiveScopes(
  own: KeyScopes,
  policy: TeamKeyPolicy,
  holderRole: Role,
  createdAt: Date,
): EffectiveScopes {
  const narrowed: Narrowing[] = [];
  const scopes: KeyScopes = { endpoints: {} };
  const roleCeiling = ROLE_CEILING[holderRole];
  for (const group of ENDPOINT_GROUPS) {
    const want = own.endpoints[group] ?? "none";
    const teamMax = policy.endpoints[group] ?? "none";
    let access = want;
    if (ACCESS_RANK[teamMax] < ACCESS_RANK[access]) {
      access = teamMax;
      narrowed.push({
        field: `endpoints.${group}`,
        by: "policy",
        message: `${group}: ${want} → ${teamMax} (team policy)`,
      });
    }
    if (ACCESS_RANK[roleCeiling] < ACCESS_RANK[access]) {
      narrowed.push({
        field: `endpoints.${group}`,
        by: "role",
        message: `${group}: ${access} → ${roleCeiling} (the holder is a ${holderRole})`,
      });
      access = roleCeiling;
    }
    if (access !== "none") scopes.endpoints[group] = access;
  }

  const result: EffectiveScopes = { scopes, narrowed };
  if (own.models) scopes.models = [...own.models];
  if (policy.models) {
    const allowed = policy.models;
    if (!own.models) scopes.models = [...allowed];
    else if (!own.models.every((pattern) => allowed.some((outer) => patternCovered(pattern, outer))))
      result.alsoModels = [...allowed];
    if (!own.models || result.alsoModels)
      narrowed.push({ field: "models", by: "policy", message: `models: only ${allowed.join(", ")} (team policy)` });
  }

  if (own.ipAllowList) scopes.ipAllowList = [...own.ipAllowList];
  if (policy.ipAllowList) {
    const outer = policy.ipAllowList.map(parseCidr).filter((cidr) => cidr !== null);
    const inside = (text: string) => {
      const inner = parseCidr(text);
      return inner !== null && outer.some((range) => cidrWithin(inner, range));
    };
    if (!own.ipAllowList) scopes.ipAllowList = [...policy.ipAllowList];
    else if (!own.ipAllowList.every(inside)) result.alsoIpAllowList = [...policy.ipAllowList];
    if (!own.ipAllowList || result.alsoIpAllowList)
      narrowed.push({
        field: "ipAllowList",
        by: "policy",
        message: `addresses: only ${policy.ipAllowList.join(", ")} (team policy)`,
      });
  }

  for (const field of ["rpm", "tpm"] as const) {
    const mine = own.limits?.[field];
    const max = policy.limits?.[field];
    const value = mine === undefined ? max : max === undefined ? mine : Math.min(mine, max);
    if (value !== undefined) scopes.limits = { ...scopes.limits, [field]: value };
    if (value !== mine)
      narrowed.push({
        field: `limits.${field}`,
        by: "policy",
        message: `${field}: ${mine ?? "no limit"} → ${value} (team policy)`,
      });
  }

  let budget = own.budget;
  if (policy.budget && (!budget || budgetProblem(budget, policy.budget))) {
    narrowed.push({
      field: "budget",
      by: "policy",
      message: `budget: ${budget ? formatBudget(budget) : "none"} → ${formatBudget(policy.budget)} (team policy)`,
    });
    budget = policy.budget;
  }
  if (budget) scopes.budget = { ...budget };

  let expires = own.expiresAt === undefined ? undefined : Date.parse(own.expiresAt);
  if (policy.maxLifetimeDays !== undefined) {
    const latest = createdAt.getTime() + policy.maxLifetimeDays * DAY_MS;
    if (expires === undefined || latest < expires) {
      narrowed.push({
        field: "expiresAt",
        by: "policy",
        message: `expires: ${expires === undefined ? "never" : DATE(expires)} → ${DATE(latest)} (team policy: ${policy.maxLifetimeDays} days at most)`,
      });
      expires = latest;
    }
  }
  if (expires !== undefined) scopes.expiresAt = new Date(expires).toISOString();
  return result;
}
