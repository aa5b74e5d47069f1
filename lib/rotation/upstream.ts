// Automatic rotation of a team's OpenAI (upstream) keys through OpenAI's Admin API. The team stores an Admin key
// (encrypted, never shown again) and the project whose service accounts hold its keys. A rotation creates a
// service account (its key is the new upstream key), checks the key on GET /models, then in one transaction adds
// it to the pool and disables the old key, which stays (re-enableable) until retiresAt; the sweep then deletes
// the old key's service account and its row. Until that transaction commits nothing in the pool changes, so any
// failure leaves the old key serving; failures are audited (the team's webhooks get them) and alerted.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { recordAudit, type AuditAction, type AuditActor, type AuditTarget } from "@/lib/audit/record";
import { decryptSecret, encryptSecret } from "@/lib/crypto/cipher";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { transaction } from "@/lib/db/transaction";
import { env } from "@/lib/env";
import { notifyKeyChange } from "@/lib/keys/invalidation";
import { logger } from "@/lib/logger";
import { sendMail, type Mail } from "@/lib/mail/send";
import { escapeHtml } from "@/lib/mail/templates";
import type { TeamRef, TeamScope } from "@/lib/teams/context";
import { maskKey } from "@/lib/upstream/keys";
import {
  createOpenAIAdminClient,
  OpenAIAdminError,
  type CreatedServiceAccount,
  type OpenAIAdminClient,
} from "@/lib/upstream/openai-admin";
import { CHECK_TIMEOUT_MS, upstreamHeaders, type UpstreamCredentials } from "@/lib/upstream/verify";
import { systemClock, type Clock } from "./clock";
import { rotationItems } from "./due";
import { OVERLAP_DEFAULT_HOURS, overlapHoursSchema } from "./roll";

const HOUR_MS = 3_600_000;
// After a failure, the sweep waits this long before auditing and alerting the same key's failure again (it
// still retries a pending delete every sweep): a revoked Admin key must not mail the admins every minute.
export const FAILURE_QUIET_MS = 6 * HOUR_MS;
const SYSTEM: AuditActor = { type: "system", label: "Key rotation" };
const NO_REQUEST = { ip: null, userAgent: null } as const;

export const ADMIN_KEY_ERRORS = {
  rejected: "OpenAI refused this Admin key. Check that it is an Admin key (sk-admin-…) and still active.",
  project: "OpenAI has no such project in the Admin key's organization. Check the project id (proj_…).",
  unreachable: "Couldn't reach the OpenAI Admin API to check this key. Try again in a moment.",
} as const;

export const ROTATION_ERRORS = {
  noAdminKey: "Store an OpenAI Admin key for this team before rotating its OpenAI keys automatically.",
  notServing: "Only an enabled key that is not already being replaced can be rotated.",
  changed: "The key was disabled, removed or rotated while this rotation ran; nothing was changed.",
  unexpected: "Unexpected error (the server log has the details).",
} as const;

export const adminKeyInputSchema = z.object({
  adminKey: z.string().trim().min(20, "Enter the whole Admin key.").max(512),
  projectId: z.string().trim().min(1, "Enter the project id (proj_…).").max(200),
  autoRotate: z.boolean().default(true),
});
export type AdminKeyInput = z.input<typeof adminKeyInputSchema>;

export const maskAdminKey = (hint: string): string => `sk-admin-…${hint}`;
const adminBinding = (teamId: string) => ({ purpose: "openai_admin_key" as const, teamId, rowId: teamId });
const upstreamBinding = (teamId: string, rowId: string) => ({ purpose: "upstream_key" as const, teamId, rowId });
const baseUrlOf = (baseUrl?: string) => (baseUrl ?? env().OPENAI_BASE_URL).replace(/\/+$/, "");
const adminClient = (adminKey: string, baseUrl?: string) =>
  createOpenAIAdminClient({ adminKey, baseUrl: baseUrlOf(baseUrl) });
const systemScope = (team: TeamRef): TeamScope => ({ team, actor: SYSTEM, request: NO_REQUEST });

type KeyRef = { id: string; name: string; keyHint: string };
const target = (key: KeyRef): AuditTarget => ({
  type: "upstream_key",
  id: key.id,
  label: `${key.name} (${maskKey(key.keyHint)})`,
});

function audit(scope: TeamScope, action: AuditAction, targets: AuditTarget[], metadata: Prisma.InputJsonObject) {
  return transaction((tx) =>
    recordAudit(tx, { teamId: scope.team.id, actor: scope.actor, action, targets, metadata, context: scope.request }),
  );
}

/** Which step failed: creating the service account, checking its key, swapping it in, deleting the old one. */
export type RotationStep = "create" | "verify" | "swap" | "delete";
export type RotationFailure = {
  team: TeamRef;
  upstreamKeyId: string;
  label: string;
  step: RotationStep;
  message: string;
};
export type RotationAlert = (failure: RotationFailure) => void | Promise<void>;

const STEP_TEXT: Record<RotationStep, string> = {
  create: "OpenAI did not create the new service account, so the current key keeps serving.",
  verify: "The new key did not work, so it was discarded and the current key keeps serving.",
  swap: "The new key could not be put in place, so it was discarded and the current key keeps serving.",
  delete: "The old key's service account could not be deleted; Keyward keeps trying at every sweep.",
};

/** The alert e-mail; it names the key by its masked label and quotes OpenAI's (scrubbed) message, no secret. */
export function rotationFailureMail(to: string, failure: RotationFailure): Mail {
  const link = `${env().APP_URL}/t/${failure.team.slug}/upstream-keys`;
  const subject = `Keyward couldn't rotate the OpenAI key ${failure.label} in ${failure.team.name}`;
  const paragraphs = [STEP_TEXT[failure.step], `What went wrong: ${failure.message}`];
  return {
    to,
    subject,
    text: [...paragraphs, `Open it: ${link}`].join("\n\n"),
    html: [
      ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
      `<p><a href="${escapeHtml(link)}">Open it in Keyward</a></p>`,
    ].join("\n"),
  };
}

/** The default alert: an e-mail to each of the team's owners and admins. */
export const mailRotationFailure: RotationAlert = async (failure) => {
  const admins = await db().membership.findMany({
    where: { teamId: failure.team.id, role: { in: ["owner", "admin"] } },
    select: { user: { select: { email: true } } },
  });
  for (const { user } of admins) await sendMail(rotationFailureMail(user.email, failure));
};

export type UpstreamApiOptions = { /** Default: OPENAI_BASE_URL. */ baseUrl?: string };

/** Checks the Admin key against the project, then stores only its ciphertext (one per team: replaces any). */
export async function setOpenAIAdminKey(ctx: TeamScope, input: AdminKeyInput, options: UpstreamApiOptions = {}) {
  const { adminKey, projectId, autoRotate } = adminKeyInputSchema.parse(input);
  try {
    await adminClient(adminKey, options.baseUrl).getProject(projectId);
  } catch (error) {
    if (!(error instanceof OpenAIAdminError)) throw error;
    if (error.status === 404)
      throw new AppError("unprocessable", ADMIN_KEY_ERRORS.project, { projectId: [ADMIN_KEY_ERRORS.project] });
    const message =
      error.status === 401 || error.status === 403 ? ADMIN_KEY_ERRORS.rejected : ADMIN_KEY_ERRORS.unreachable;
    throw new AppError("unprocessable", message, { adminKey: [message] });
  }
  const teamId = ctx.team.id;
  const data = {
    encryptedKey: encryptSecret(adminKey, adminBinding(teamId)),
    keyHint: adminKey.slice(-4),
    projectId,
    autoRotate,
  };
  await transaction(async (tx) => {
    await tx.openAIAdminKey.upsert({
      where: { teamId },
      create: { teamId, ...data, createdById: ctx.user?.id ?? null },
      update: data,
    });
    await recordAudit(tx, {
      teamId,
      actor: ctx.actor,
      action: "upstream_key.admin_key_set",
      targets: [{ type: "team", id: teamId, label: ctx.team.name }],
      metadata: { projectId, autoRotate, admin: maskAdminKey(data.keyHint) },
      context: ctx.request,
    });
  });
  return { keyHint: maskAdminKey(data.keyHint), projectId, autoRotate };
}

/** The stored Admin key, masked; null when the team has none. */
export async function readOpenAIAdminKey(ctx: Pick<TeamScope, "team">) {
  const row = await db().openAIAdminKey.findUnique({
    where: { teamId: ctx.team.id },
    select: { keyHint: true, projectId: true, autoRotate: true, createdAt: true },
  });
  return row && { ...row, keyHint: maskAdminKey(row.keyHint) };
}

export async function removeOpenAIAdminKey(ctx: TeamScope): Promise<void> {
  await transaction(async (tx) => {
    const row = await tx.openAIAdminKey.findUnique({ where: { teamId: ctx.team.id }, select: { projectId: true } });
    if (!row) throw new AppError("not_found");
    await tx.openAIAdminKey.delete({ where: { teamId: ctx.team.id } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "upstream_key.admin_key_remove",
      targets: [{ type: "team", id: ctx.team.id, label: ctx.team.name }],
      metadata: { projectId: row.projectId },
      context: ctx.request,
    });
  });
}

async function storedAdmin(teamId: string, baseUrl?: string) {
  const row = await db().openAIAdminKey.findUnique({
    where: { teamId },
    select: { encryptedKey: true, projectId: true },
  });
  if (!row) return null;
  return {
    projectId: row.projectId,
    client: adminClient(decryptSecret(row.encryptedKey, adminBinding(teamId)), baseUrl),
  };
}

function messageOf(error: unknown): string {
  // The Admin client's messages are scrubbed of anything key-shaped; an AppError's are constants.
  if (error instanceof OpenAIAdminError || error instanceof AppError) return error.message;
  logger.error({ err: error }, "upstream key rotation failed unexpectedly");
  return ROTATION_ERRORS.unexpected;
}

/** GET /models with the new key and the headers it will be used with; null when it works, else why not. */
async function checkNewKey(credentials: UpstreamCredentials, baseUrl: string): Promise<string | null> {
  try {
    const response = await fetch(`${baseUrl}/models`, {
      headers: upstreamHeaders(credentials),
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    // The body may echo the key: it goes nowhere.
    await response.body?.cancel();
    return response.ok ? null : `OpenAI answered ${response.status} to GET /models with the new key.`;
  } catch {
    return "Couldn't reach OpenAI to check the new key (GET /models).";
  }
}

async function deleteAccount(client: OpenAIAdminClient, projectId: string, accountId: string): Promise<string | null> {
  try {
    await client.deleteServiceAccount(projectId, accountId);
    return null;
  } catch (error) {
    // 404: already gone, which is what deleting wanted.
    return error instanceof OpenAIAdminError && error.status === 404 ? null : messageOf(error);
  }
}

async function fail(scope: TeamScope, key: KeyRef, step: RotationStep, message: string, alert: RotationAlert) {
  await audit(scope, "upstream_key.rotation_failed", [target(key)], { step, message });
  const failure: RotationFailure = {
    team: scope.team,
    upstreamKeyId: key.id,
    label: target(key).label ?? "",
    step,
    message,
  };
  try {
    await alert(failure);
  } catch (error) {
    logger.error({ err: error, teamId: scope.team.id, step }, "upstream key rotation alert failed");
  }
  return { ok: false as const, step, message };
}

export type RotateOptions = UpstreamApiOptions & {
  clock?: Clock;
  /** How long the old key stays (disabled, re-enableable) before its service account is deleted. */
  overlapHours?: number;
  /** Called on failure. Default: e-mail the team's owners and admins. */
  alert?: RotationAlert;
};
export type RotationResult =
  | { ok: true; newKeyId: string; oldKeyId: string; retiresAt: Date }
  | { ok: false; step: RotationStep; message: string };

/** Replaces an enabled upstream key by a new service-account key; the old one retires after the overlap. */
export async function rotateUpstreamKey(
  scope: TeamScope,
  upstreamKeyId: string,
  options: RotateOptions = {},
): Promise<RotationResult> {
  const clock = options.clock ?? systemClock;
  const overlapHours = overlapHoursSchema.parse(options.overlapHours ?? OVERLAP_DEFAULT_HOURS);
  const alert = options.alert ?? mailRotationFailure;
  const teamId = scope.team.id;
  const old = await db().upstreamKey.findFirst({
    where: { id: upstreamKeyId, teamId },
    select: {
      id: true,
      name: true,
      keyHint: true,
      organizationId: true,
      projectId: true,
      weight: true,
      enabled: true,
      retiresAt: true,
    },
  });
  if (!old) throw new AppError("not_found");
  if (!old.enabled || old.retiresAt) throw new AppError("unprocessable", ROTATION_ERRORS.notServing);
  const admin = await storedAdmin(teamId, options.baseUrl);
  if (!admin) throw new AppError("unprocessable", ROTATION_ERRORS.noAdminKey);
  await audit(scope, "upstream_key.rotation_start", [target(old)], { projectId: admin.projectId, overlapHours });

  let created: CreatedServiceAccount;
  try {
    created = await admin.client.createServiceAccount(
      admin.projectId,
      `keyward-${scope.team.slug}-${clock().toISOString().slice(0, 10)}`,
    );
  } catch (error) {
    return fail(scope, old, "create", messageOf(error), alert);
  }
  // From here on a failure must not leave the new account alive: its key is stored nowhere.
  const cleanUp = async (message: string) => {
    const left = await deleteAccount(admin.client, admin.projectId, created.id);
    return left ? `${message} The new service account ${created.id} could not be deleted: ${left}` : message;
  };
  const key = created.apiKey.value;
  const credentials = { key, organizationId: old.organizationId, projectId: old.projectId };
  const rejected = await checkNewKey(credentials, baseUrlOf(options.baseUrl));
  if (rejected) return fail(scope, old, "verify", await cleanUp(rejected), alert);

  const now = clock();
  const retiresAt = new Date(now.getTime() + overlapHours * HOUR_MS);
  const fresh: KeyRef = { id: crypto.randomUUID(), name: old.name, keyHint: key.slice(-4) };
  try {
    await transaction(async (tx) => {
      // Guarded: a key disabled, removed or rotated meanwhile is left alone.
      const retired = await tx.upstreamKey.updateMany({
        where: { id: old.id, teamId, enabled: true, retiresAt: null },
        data: { enabled: false, retiresAt },
      });
      if (retired.count === 0) throw new AppError("conflict", ROTATION_ERRORS.changed);
      await tx.upstreamKey.create({
        data: {
          id: fresh.id,
          teamId,
          name: old.name,
          encryptedKey: encryptSecret(key, upstreamBinding(teamId, fresh.id)),
          keyHint: fresh.keyHint,
          organizationId: old.organizationId,
          projectId: old.projectId,
          weight: old.weight,
          createdById: scope.user?.id ?? null,
          verifiedAt: now,
          serviceAccountId: created.id,
        },
      });
      await notifyKeyChange(tx, { upstreamTeamId: teamId });
      await recordAudit(tx, {
        teamId,
        actor: scope.actor,
        action: "upstream_key.rotation_complete",
        targets: [target(old), target(fresh)],
        metadata: { retiresAt: retiresAt.toISOString(), overlapHours, serviceAccountId: created.id },
        context: scope.request,
      });
    });
  } catch (error) {
    // An after-commit hook (telling the edge) can throw once the swap is durable: then the new key is the one
    // serving, and deleting its account would take the team's traffic down.
    const committed = await db().upstreamKey.count({ where: { id: fresh.id, teamId } });
    if (committed === 0) return fail(scope, old, "swap", await cleanUp(messageOf(error)), alert);
    logger.error({ err: error, teamId }, "upstream key rotated, but telling the proxy failed");
  }
  return { ok: true, newKeyId: fresh.id, oldKeyId: old.id, retiresAt };
}

/** When this key's last rotation failure was audited, or null. */
async function lastFailureAt(teamId: string, keyId: string): Promise<Date | null> {
  const event = await db().auditEvent.findFirst({
    where: { teamId, action: "upstream_key.rotation_failed", targets: { array_contains: [{ id: keyId }] } },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  return event?.createdAt ?? null;
}
const quiet = async (teamId: string, keyId: string, now: Date) =>
  ((await lastFailureAt(teamId, keyId))?.getTime() ?? -Infinity) > now.getTime() - FAILURE_QUIET_MS;

export type SweepOptions = UpstreamApiOptions & { alert?: RotationAlert };

/**
 * For the rotation sweep: old keys whose overlap is over lose their service account (through the Admin API)
 * and then their row. A failed delete keeps the row (disabled) and retiresAt, and is retried every sweep.
 */
export async function finishUpstreamRotations(now: Date, options: SweepOptions = {}) {
  const alert = options.alert ?? mailRotationFailure;
  const due = await db().upstreamKey.findMany({
    where: { retiresAt: { lte: now } },
    select: {
      id: true,
      name: true,
      keyHint: true,
      serviceAccountId: true,
      team: { select: { id: true, slug: true, name: true } },
    },
  });
  const result = { retired: 0, failed: 0 };
  for (const key of due) {
    const scope = systemScope(key.team);
    if (key.serviceAccountId) {
      const admin = await storedAdmin(key.team.id, options.baseUrl);
      const problem = admin
        ? await deleteAccount(admin.client, admin.projectId, key.serviceAccountId)
        : ROTATION_ERRORS.noAdminKey;
      if (problem) {
        result.failed++;
        if (!(await quiet(key.team.id, key.id, now))) await fail(scope, key, "delete", problem, alert);
        continue;
      }
    }
    const deleted = await transaction(async (tx) => {
      const gone = await tx.upstreamKey.deleteMany({
        where: { id: key.id, teamId: key.team.id, retiresAt: { lte: now } },
      });
      if (gone.count === 0) return false; // re-enabled and kept, or already retired by another sweep
      await notifyKeyChange(tx, { upstreamTeamId: key.team.id });
      await recordAudit(tx, {
        teamId: key.team.id,
        actor: SYSTEM,
        action: "upstream_key.delete",
        targets: [target(key)],
        metadata: { automatic: true, reason: "rotated: the overlap ended" },
        context: NO_REQUEST,
      });
      return true;
    });
    if (deleted) result.retired++;
  }
  return result;
}

/**
 * For the rotation sweep: in teams whose Admin key has autoRotate, rotates every enabled upstream key that is
 * overdue under the team's policy and not already being replaced. A key whose rotation failed is left alone
 * for FAILURE_QUIET_MS, so a broken Admin key does not create an account or an alert every minute.
 */
export async function autoRotateDue(now: Date, options: SweepOptions & { overlapHours?: number } = {}) {
  const teams = await db().openAIAdminKey.findMany({
    where: { autoRotate: true },
    select: { team: { select: { id: true, slug: true, name: true } } },
  });
  const results: (RotationResult & { teamId: string; upstreamKeyId: string })[] = [];
  for (const { team } of teams) {
    const { items } = await rotationItems(team.id, now);
    for (const item of items) {
      if (item.subjectType !== "upstream_key" || item.status !== "overdue" || item.overlapEndsAt) continue;
      if (await quiet(team.id, item.id, now)) continue;
      try {
        const result = await rotateUpstreamKey(systemScope(team), item.id, { ...options, clock: () => now });
        results.push({ ...result, teamId: team.id, upstreamKeyId: item.id });
      } catch (error) {
        // Disabled or removed since it was listed: nothing to rotate.
        if (!(error instanceof AppError)) throw error;
      }
    }
  }
  return results;
}
