// The team's upstream (OpenAI) keys: encrypted at rest, never returned after saving. Every query carries
// the team id; the plaintext key exists only in this process's memory while it is being used.
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { decryptSecret, encryptSecret } from "@/lib/crypto/cipher";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { notifyKeyChange } from "@/lib/keys/invalidation";
import { actorOf, type TeamContext, type TeamScope } from "@/lib/teams/context";
import { checkUpstreamKey, type UpstreamCheck } from "@/lib/upstream/verify";
import type { UpstreamKeyInput } from "@/lib/validations/upstream";

export const UPSTREAM_ERRORS = {
  rejected: "OpenAI rejected this key. Check that it is complete and still active.",
  unreachable: "Couldn't reach the OpenAI API to check this key. You can save it without the check.",
} as const;

export const maskKey = (hint: string): string => `sk-…${hint}`;

const PUBLIC_FIELDS = {
  id: true,
  name: true,
  keyHint: true,
  organizationId: true,
  projectId: true,
  weight: true,
  enabled: true,
  createdAt: true,
  lastUsedAt: true,
  verifiedAt: true,
  retiresAt: true,
  createdBy: { select: { name: true, email: true } },
} as const;

export async function listUpstreamKeys(ctx: Pick<TeamContext, "team">) {
  const rows = await db().upstreamKey.findMany({
    where: { teamId: ctx.team.id },
    orderBy: { createdAt: "asc" },
    select: PUBLIC_FIELDS,
  });
  return rows.map(({ keyHint, ...row }) => ({ ...row, masked: maskKey(keyHint) }));
}
export type UpstreamKeyView = Awaited<ReturnType<typeof listUpstreamKeys>>[number];

const binding = (teamId: string, rowId: string) => ({ purpose: "upstream_key" as const, teamId, rowId });

/** Checks the key against the upstream (unless told not to), then stores only its ciphertext. */
export async function addUpstreamKey(ctx: TeamScope, input: UpstreamKeyInput) {
  let check: UpstreamCheck | null = null;
  if (!input.skipCheck) {
    check = await checkUpstreamKey(input);
    if (check.status === "rejected")
      throw new AppError("unprocessable", UPSTREAM_ERRORS.rejected, { key: [UPSTREAM_ERRORS.rejected] });
    if (check.status === "unreachable")
      throw new AppError("unprocessable", UPSTREAM_ERRORS.unreachable, { key: [UPSTREAM_ERRORS.unreachable] });
  }
  const id = randomUUID();
  const keyHint = input.key.slice(-4);
  return transaction(async (tx) => {
    const created = await tx.upstreamKey.create({
      data: {
        id,
        teamId: ctx.team.id,
        name: input.name,
        encryptedKey: encryptSecret(input.key, binding(ctx.team.id, id)),
        keyHint,
        organizationId: input.organizationId ?? null,
        projectId: input.projectId ?? null,
        weight: input.weight,
        createdById: ctx.user?.id ?? null,
        verifiedAt: check?.status === "valid" ? new Date() : null,
      },
      select: { id: true, name: true, verifiedAt: true },
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: actorOf(ctx),
      action: "upstream_key.create",
      targets: [{ type: "upstream_key", id, label: `${input.name} (${maskKey(keyHint)})` }],
      metadata: { checked: check !== null },
      context: ctx.request,
    });
    await notifyKeyChange(tx, { upstreamTeamId: ctx.team.id });
    return { id: created.id, name: created.name, masked: maskKey(keyHint), verified: created.verifiedAt !== null };
  });
}

async function findKey(ctx: Pick<TeamContext, "team">, id: string) {
  const row = await db().upstreamKey.findFirst({
    where: { id, teamId: ctx.team.id },
    select: { id: true, name: true, keyHint: true, enabled: true },
  });
  if (!row) throw new AppError("not_found");
  return row;
}

export async function setUpstreamKeyEnabled(ctx: TeamScope, id: string, enabled: boolean) {
  const row = await findKey(ctx, id);
  if (row.enabled === enabled) return;
  await transaction(async (tx) => {
    await tx.upstreamKey.update({ where: { id, teamId: ctx.team.id }, data: { enabled } });
    await notifyKeyChange(tx, { upstreamTeamId: ctx.team.id });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: actorOf(ctx),
      action: enabled ? "upstream_key.enable" : "upstream_key.disable",
      targets: [{ type: "upstream_key", id, label: `${row.name} (${maskKey(row.keyHint)})` }],
      context: ctx.request,
    });
  });
}

export async function deleteUpstreamKey(ctx: TeamScope, id: string) {
  const row = await findKey(ctx, id);
  await transaction(async (tx) => {
    await tx.upstreamKey.delete({ where: { id, teamId: ctx.team.id } });
    await notifyKeyChange(tx, { upstreamTeamId: ctx.team.id });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: actorOf(ctx),
      action: "upstream_key.delete",
      targets: [{ type: "upstream_key", id, label: `${row.name} (${maskKey(row.keyHint)})` }],
      context: ctx.request,
    });
  });
}

/** Decrypts a stored key in memory and asks the upstream about it again. */
export async function recheckUpstreamKey(ctx: Pick<TeamContext, "team">, id: string): Promise<UpstreamCheck> {
  const row = await db().upstreamKey.findFirst({
    where: { id, teamId: ctx.team.id },
    select: { id: true, encryptedKey: true, organizationId: true, projectId: true },
  });
  if (!row) throw new AppError("not_found");
  const key = decryptSecret(row.encryptedKey, binding(ctx.team.id, row.id));
  const check = await checkUpstreamKey({ key, organizationId: row.organizationId, projectId: row.projectId });
  if (check.status === "valid") {
    // key-state: unaffected — only the time it was last checked; which keys serve is unchanged
    await db().upstreamKey.update({ where: { id, teamId: ctx.team.id }, data: { verifiedAt: new Date() } });
  }
  return check;
}
