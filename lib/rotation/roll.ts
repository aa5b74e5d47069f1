// Rolling a member key: a successor with the same name, scopes, holder and rotation period, shown once; the
// old key keeps working for the chosen overlap and then stops (its expiresAt is the overlap's end, which the
// proxy enforces to the second; the rotation sweep then marks it revoked). Both belong to one roll chain
// (lineageId): budget spend, rate-limit windows and usage history are the chain's, so rolling never resets a
// budget. The overlap's requests on the old key are counted per hour (KeyUsageHour) and shown.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { transaction } from "@/lib/db/transaction";
import { generateKey } from "@/lib/keys/format";
import { notifyKeyChange } from "@/lib/keys/invalidation";
import { keyScopesSchema } from "@/lib/keys/scopes";
import { ceilingOrThrow, keyLabel, teamPolicy, visibleKeys } from "@/lib/keys/store";
import type { TeamContext, TeamScope } from "@/lib/teams/context";
import { systemClock, type Clock } from "./clock";

const HOUR_MS = 3_600_000;

export const OVERLAP_MIN_HOURS = 1;
export const OVERLAP_MAX_HOURS = 7 * 24;
export const OVERLAP_DEFAULT_HOURS = 24;

export const overlapHoursSchema = z
  .number({ error: "Overlap: enter a number of hours." })
  .int("Overlap: use a whole number of hours.")
  .min(OVERLAP_MIN_HOURS, "Overlap: at least 1 hour.")
  .max(OVERLAP_MAX_HOURS, "Overlap: at most 7 days (168 hours).");

export const ROLL_ERRORS = {
  rolled: "This key was already rolled; roll its successor instead.",
  revoked: "This key is revoked or expired; create a new key instead.",
} as const;

export type Rolled = {
  id: string;
  name: string;
  prefix: string;
  /** The successor's full key: shown once. */
  key: string;
  previous: { id: string; prefix: string; overlapEndsAt: Date };
};

/** Rolls a key the actor may see (their own, or any with api_keys.manage): another team's is a 404. */
export function rollKey(
  ctx: TeamContext,
  id: string,
  input: { overlapHours?: number },
  clock: Clock = systemClock,
): Promise<Rolled> {
  return rollApiKey(ctx, { ...visibleKeys(ctx), id }, input, clock);
}

/** Shared by the dashboard, the management API and the operator CLI (a TeamScope, acting as the system). */
export async function rollApiKey(
  ctx: TeamScope,
  where: Prisma.ApiKeyWhereInput & { id: string },
  input: { overlapHours?: number },
  clock: Clock = systemClock,
): Promise<Rolled> {
  const overlapHours = overlapHoursSchema.parse(input.overlapHours ?? OVERLAP_DEFAULT_HOURS);
  const now = clock();
  const overlapEndsAt = new Date(now.getTime() + overlapHours * HOUR_MS);
  const generated = generateKey("live");
  return transaction(async (tx) => {
    const old = await tx.apiKey.findFirst({
      where: { ...where, teamId: ctx.team.id, kind: "live" },
      select: {
        id: true,
        name: true,
        prefix: true,
        hash: true,
        scopes: true,
        userId: true,
        expiresAt: true,
        revokedAt: true,
        rotationDays: true,
        lineageId: true,
        overlapEndsAt: true,
      },
    });
    if (!old) throw new AppError("not_found");
    if (old.revokedAt || (old.expiresAt && old.expiresAt <= now)) throw new AppError("conflict", ROLL_ERRORS.revoked);
    if (old.overlapEndsAt) throw new AppError("conflict", ROLL_ERRORS.rolled);
    const holder = await tx.membership.findFirst({
      where: { teamId: ctx.team.id, userId: old.userId ?? "" },
      select: { role: true, user: { select: { email: true } } },
    });
    if (!holder) throw new AppError("not_found");
    // The successor's scopes are the old key's, under today's ceilings (a key never comes back wider).
    const scopes = ceilingOrThrow(keyScopesSchema.parse(old.scopes), await teamPolicy(ctx.team.id, tx), holder.role);
    const lineageId = old.lineageId ?? old.id;
    const successor = await tx.apiKey.create({
      data: {
        teamId: ctx.team.id,
        kind: "live",
        userId: old.userId,
        name: old.name,
        hash: generated.hash,
        prefix: generated.prefix,
        scopes,
        createdById: ctx.user?.id ?? null,
        expiresAt: scopes.expiresAt ? new Date(scopes.expiresAt) : null,
        rotationDays: old.rotationDays,
        lineageId,
        rolledFromId: old.id,
        createdAt: now,
      },
      select: { id: true, name: true, prefix: true },
    });
    const stopsAt = old.expiresAt && old.expiresAt < overlapEndsAt ? old.expiresAt : overlapEndsAt;
    await tx.apiKey.update({
      where: { id: old.id, teamId: ctx.team.id },
      data: { overlapEndsAt: stopsAt, expiresAt: stopsAt, lineageId },
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "api_key.roll",
      targets: [
        { type: "api_key", id: successor.id, label: keyLabel(successor.name, successor.prefix) },
        { type: "api_key", id: old.id, label: keyLabel(old.name, old.prefix) },
        { type: "user", id: old.userId ?? "", label: holder.user.email },
      ],
      metadata: { overlapHours, oldKeyStopsAt: stopsAt.toISOString() },
      context: ctx.request,
    });
    // The old key's expiry changed: every proxy cache reloads it and enforces the overlap's end.
    await notifyKeyChange(tx, { hashes: [old.hash] });
    return {
      id: successor.id,
      name: successor.name,
      prefix: successor.prefix,
      key: generated.key,
      previous: { id: old.id, prefix: old.prefix, overlapEndsAt: stopsAt },
    };
  });
}

/** Requests each key answered in the last hour (the current and the previous whole UTC hour, a bound from above). */
export async function requestsLastHour(teamId: string, keyIds: string[], now: Date): Promise<Map<string, number>> {
  if (keyIds.length === 0) return new Map();
  const since = new Date(now.getTime() - (now.getTime() % HOUR_MS) - HOUR_MS);
  const rows = await db().keyUsageHour.groupBy({
    by: ["keyId"],
    where: { teamId, keyId: { in: keyIds }, hour: { gte: since } },
    _sum: { requests: true },
  });
  return new Map(rows.map((row) => [row.keyId, row._sum.requests ?? 0]));
}
