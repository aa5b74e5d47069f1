// A member key's place in its roll chain, for the key's page: the key it replaced while that one still works
// (and how much it is still used), or the successor that replaced it. Team-scoped like every key read.
import { db } from "@/lib/db/client";
import { requestsLastHour } from "./roll";

export type Overlap =
  | { role: "none" }
  /** This key was rolled: its successor took over and this one stops at `stopsAt`. */
  | { role: "old"; stopsAt: Date; successor: { id: string; prefix: string } | null; requestsLastHour: number }
  /** This key replaced `previous`, which keeps working until `stopsAt`. */
  | { role: "new"; stopsAt: Date; previous: { id: string; prefix: string }; requestsLastHour: number };

export async function overlapOf(teamId: string, keyId: string, now: Date): Promise<Overlap> {
  const key = await db().apiKey.findFirst({
    where: { id: keyId, teamId, kind: "live" },
    select: { overlapEndsAt: true, revokedAt: true, rolledFromId: true },
  });
  if (!key) return { role: "none" };
  if (key.overlapEndsAt && !key.revokedAt && key.overlapEndsAt > now) {
    const successor = await db().apiKey.findFirst({
      where: { teamId, rolledFromId: keyId },
      select: { id: true, prefix: true },
    });
    const counts = await requestsLastHour(teamId, [keyId], now);
    return { role: "old", stopsAt: key.overlapEndsAt, successor, requestsLastHour: counts.get(keyId) ?? 0 };
  }
  const previous = key.rolledFromId
    ? await db().apiKey.findFirst({
        where: { id: key.rolledFromId, teamId },
        select: { id: true, prefix: true, overlapEndsAt: true, revokedAt: true },
      })
    : null;
  if (previous?.overlapEndsAt && !previous.revokedAt && previous.overlapEndsAt > now) {
    const counts = await requestsLastHour(teamId, [previous.id], now);
    return {
      role: "new",
      stopsAt: previous.overlapEndsAt,
      previous: { id: previous.id, prefix: previous.prefix },
      requestsLastHour: counts.get(previous.id) ?? 0,
    };
  }
  return { role: "none" };
}
