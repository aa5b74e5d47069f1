// What is due for rotation in a team: every live member key, management key and enabled OpenAI key with its
// age, last use and due date under the team's rotation policy. One reader for the team home, a member's own
// keys page, `keyward keys due` and the reminder sweep, always scoped to one team.
import { db, type Tx } from "@/lib/db/client";
import { maskKey } from "@/lib/upstream/keys";
import { readRotationPolicy, rotationOf, type Rotation, type RotatedKind, type RotationPolicy } from "./policy";

export type RotationItem = Rotation & {
  subjectType: "api_key" | "upstream_key";
  id: string;
  kind: RotatedKind;
  name: string;
  /** "name (kw_live_ab12…)" or "name (sk-…abcd)": what a reminder and the audit trail call it. */
  label: string;
  holderId: string | null;
  holderEmail: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  rotationDays: number | null;
  /** Set on a key being rolled: its successor took over and this one stops at overlapEndsAt. */
  overlapEndsAt: Date | null;
};

export async function teamRotationPolicy(teamId: string, tx: Tx = db()): Promise<RotationPolicy> {
  const team = await tx.team.findUniqueOrThrow({ where: { id: teamId }, select: { rotationPolicy: true } });
  return readRotationPolicy(team.rotationPolicy);
}

export type RotationFilter = {
  /** Only keys this member holds (a member's own keys page); upstream keys are then left out. */
  holderId?: string;
  /** Leave out the OpenAI keys (for those who may not see them). */
  withUpstream?: boolean;
  /** Leave out management keys. */
  withManagement?: boolean;
};

/** Every rotated key of the team with where it stands at `now`, soonest due first. */
export async function rotationItems(
  teamId: string,
  now: Date,
  filter: RotationFilter = {},
  tx: Tx = db(),
): Promise<{ policy: RotationPolicy; items: RotationItem[] }> {
  const policy = await teamRotationPolicy(teamId, tx);
  const withUpstream = filter.withUpstream !== false && filter.holderId === undefined;
  const [keys, upstream] = await Promise.all([
    tx.apiKey.findMany({
      where: {
        teamId,
        revokedAt: null,
        ...(filter.withManagement === false ? { kind: "live" } : {}),
        ...(filter.holderId ? { userId: filter.holderId } : {}),
      },
      select: {
        id: true,
        kind: true,
        name: true,
        prefix: true,
        userId: true,
        user: { select: { email: true } },
        createdAt: true,
        lastUsedAt: true,
        expiresAt: true,
        rotationDays: true,
        overlapEndsAt: true,
      },
    }),
    withUpstream
      ? tx.upstreamKey.findMany({
          where: { teamId, enabled: true },
          select: { id: true, name: true, keyHint: true, createdAt: true, lastUsedAt: true, retiresAt: true },
        })
      : Promise.resolve([]),
  ]);
  const items: RotationItem[] = [];
  for (const key of keys) {
    // A key that has expired already is past rotating.
    if (key.expiresAt && key.expiresAt <= now) continue;
    const kind: RotatedKind = key.kind === "mgmt" ? "management" : "member";
    items.push({
      ...rotationOf(policy, { kind, createdAt: key.createdAt, rotationDays: key.rotationDays }, now),
      subjectType: "api_key",
      id: key.id,
      kind,
      name: key.name,
      label: `${key.name} (${key.prefix}…)`,
      holderId: key.userId,
      holderEmail: key.user?.email ?? null,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
      rotationDays: key.rotationDays,
      overlapEndsAt: key.overlapEndsAt,
    });
  }
  for (const key of upstream) {
    items.push({
      ...rotationOf(policy, { kind: "upstream", createdAt: key.createdAt, rotationDays: null }, now),
      subjectType: "upstream_key",
      id: key.id,
      kind: "upstream",
      name: key.name,
      label: `${key.name} (${maskKey(key.keyHint)})`,
      holderId: null,
      holderEmail: null,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
      rotationDays: null,
      overlapEndsAt: key.retiresAt,
    });
  }
  items.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  return { policy, items };
}

/** What needs doing: keys due soon or overdue, and not already being replaced (rolled, in their overlap). */
export function dueItems(items: RotationItem[]): RotationItem[] {
  return items.filter((item) => item.status !== "ok" && item.overlapEndsAt === null);
}
