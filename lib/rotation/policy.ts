// The team's rotation policy and what it says about one key: when it is due, whether it is due soon or
// overdue, which reminders are owed by now, and when a key past its deadline expires. Pure: every function
// takes the moment to judge (`now`) from the caller's clock (lib/rotation/clock.ts), never Date.now().
import { z } from "zod";

const DAY_MS = 86_400_000;

const days = (label: string, max: number) =>
  z
    .number({ error: `${label}: enter a whole number of days.` })
    .int(`${label}: use a whole number of days.`)
    .min(1, `${label}: at least 1 day.`)
    .max(max, `${label}: at most ${max} days.`);

export const ROTATION_DEFAULTS = {
  memberKeyMaxAgeDays: 90,
  managementKeyMaxAgeDays: 90,
  upstreamKeyMaxAgeDays: 180,
  reminderOffsetsDays: [14, 3, 0],
  atDeadline: "remind",
  graceDays: 7,
} as const;

export const rotationPolicySchema = z.strictObject({
  memberKeyMaxAgeDays: days("Member keys", 3650).default(ROTATION_DEFAULTS.memberKeyMaxAgeDays),
  managementKeyMaxAgeDays: days("Management keys", 3650).default(ROTATION_DEFAULTS.managementKeyMaxAgeDays),
  upstreamKeyMaxAgeDays: days("OpenAI keys", 3650).default(ROTATION_DEFAULTS.upstreamKeyMaxAgeDays),
  /** Days before the due date a reminder goes out (0: on the day). */
  reminderOffsetsDays: z
    .array(
      z
        .number()
        .int("Reminders: use whole numbers of days.")
        .min(0, "Reminders: 0 days (on the due date) or more.")
        .max(365, "Reminders: at most 365 days before."),
    )
    .max(6, "Reminders: at most 6.")
    .refine((list) => new Set(list).size === list.length, "Reminders: each offset once.")
    .transform((list) => [...list].sort((a, b) => b - a))
    .default([...ROTATION_DEFAULTS.reminderOffsetsDays]),
  /** At the due date: only remind, or also expire member and management keys once the grace period is over. */
  atDeadline: z.enum(["remind", "expire"]).default(ROTATION_DEFAULTS.atDeadline),
  graceDays: z
    .number()
    .int("Grace period: use a whole number of days.")
    .min(0, "Grace period: 0 days or more.")
    .max(90, "Grace period: at most 90 days.")
    .default(ROTATION_DEFAULTS.graceDays),
});
export type RotationPolicy = z.output<typeof rotationPolicySchema>;

/** The stored policy as the API returns it: every field present. */
export const rotationPolicyOutputSchema = z.strictObject({
  memberKeyMaxAgeDays: z.number().int(),
  managementKeyMaxAgeDays: z.number().int(),
  upstreamKeyMaxAgeDays: z.number().int(),
  reminderOffsetsDays: z.array(z.number().int()),
  atDeadline: z.enum(["remind", "expire"]),
  graceDays: z.number().int(),
});
export type RotationPolicyInput = z.input<typeof rotationPolicySchema>;

export const DEFAULT_ROTATION_POLICY: RotationPolicy = rotationPolicySchema.parse({});

/** The stored JSON (null: the default). A policy that no longer parses falls back to the default, never to none. */
export function readRotationPolicy(stored: unknown): RotationPolicy {
  if (stored === null || stored === undefined) return DEFAULT_ROTATION_POLICY;
  const parsed = rotationPolicySchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_ROTATION_POLICY;
}

export type RotatedKind = "member" | "management" | "upstream";

export function maxAgeDays(policy: RotationPolicy, kind: RotatedKind): number {
  if (kind === "member") return policy.memberKeyMaxAgeDays;
  if (kind === "management") return policy.managementKeyMaxAgeDays;
  return policy.upstreamKeyMaxAgeDays;
}

/** A key's own period may only be shorter than the policy's maximum age (the policy is a ceiling). */
export function rotationPeriodDays(policy: RotationPolicy, kind: RotatedKind, own: number | null): number {
  const max = maxAgeDays(policy, kind);
  return own !== null && own < max ? own : max;
}

export function rotationDaysProblem(policy: RotationPolicy, kind: RotatedKind, own: number): string | null {
  const max = maxAgeDays(policy, kind);
  if (!Number.isInteger(own) || own < 1) return "Rotate every: use a whole number of days, at least 1.";
  if (own > max) return `Rotate every: at most ${max} days (the team's rotation policy).`;
  return null;
}

export type RotationStatus = "ok" | "due_soon" | "overdue";

export type Rotation = {
  periodDays: number;
  dueAt: Date;
  status: RotationStatus;
  /** Whole days until the due date (negative once overdue). */
  daysLeft: number;
  /** When the key stops working if the policy expires keys (null: it only reminds, or an upstream key). */
  expiresAt: Date | null;
};

/**
 * Where a key stands. "Due soon" starts at the earliest reminder offset; "overdue" at the due date. Only
 * member and management keys expire: an upstream key past its age keeps serving (the team's traffic would
 * stop), and its owners and admins are reminded instead.
 */
export function rotationOf(
  policy: RotationPolicy,
  key: { kind: RotatedKind; createdAt: Date; rotationDays: number | null },
  now: Date,
): Rotation {
  const periodDays = rotationPeriodDays(policy, key.kind, key.rotationDays);
  const dueMs = key.createdAt.getTime() + periodDays * DAY_MS;
  const soonMs = dueMs - (policy.reminderOffsetsDays[0] ?? 0) * DAY_MS;
  const nowMs = now.getTime();
  const status: RotationStatus = nowMs >= dueMs ? "overdue" : nowMs >= soonMs ? "due_soon" : "ok";
  const expires = policy.atDeadline === "expire" && key.kind !== "upstream";
  return {
    periodDays,
    dueAt: new Date(dueMs),
    status,
    daysLeft: Math.ceil((dueMs - nowMs) / DAY_MS),
    expiresAt: expires ? new Date(dueMs + policy.graceDays * DAY_MS) : null,
  };
}

export type OwedReminder = { offsetDays: number; at: Date; dueAt: Date; send: boolean };

/**
 * The reminders whose moment has come by `now` (offsets whose moment fell before the key existed are none of
 * its business). When several have come at once — the server was down, or the clock jumped — only the latest
 * is sent; the earlier ones are recorded as passed, so no one gets three mails about one key at once.
 */
export function remindersOwed(
  policy: RotationPolicy,
  key: { kind: RotatedKind; createdAt: Date; rotationDays: number | null },
  now: Date,
): OwedReminder[] {
  const { dueAt } = rotationOf(policy, key, now);
  const owed = policy.reminderOffsetsDays
    .map((offsetDays) => ({ offsetDays, at: new Date(dueAt.getTime() - offsetDays * DAY_MS), dueAt, send: false }))
    .filter((r) => r.at.getTime() <= now.getTime() && r.at.getTime() >= key.createdAt.getTime());
  const latest = owed.at(-1);
  if (latest) latest.send = true;
  return owed;
}
