// Input schemas for member keys, team key policy and management keys, from forms and from JSON.
import { z } from "zod";
import { isCalendarDate, safeText } from "@/lib/validations/text";
import { managementScopesSchema } from "@/lib/keys/management";
import { teamKeyPolicySchema } from "@/lib/keys/policy";
import { ENDPOINT_GROUPS, keyScopesSchema } from "@/lib/keys/scopes";

const teamSlug = z.string().min(1).max(64);
export const keyNameSchema = safeText().trim().min(1, "Give the key a name.").max(60, "Use at most 60 characters.");

const list = (value: string | undefined) =>
  (value ?? "")
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

const number = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : Number(value));

/** The scopes editor's fields (endpoint.<group>, models, rpm, tpm, budgetAmount, budgetPeriod, expiresOn, ips). */
function scopesFromForm(form: Record<string, string | undefined>, options: { policy: boolean }) {
  const endpoints = Object.fromEntries(
    ENDPOINT_GROUPS.map((group) => [group, form[`endpoint.${group}`] ?? "none"]).filter(
      ([, access]) => access !== "none",
    ),
  );
  const models = list(form.models);
  const ips = list(form.ipAllowList);
  const rpm = number(form.rpm);
  const tpm = number(form.tpm);
  const amount = number(form.budgetAmount);
  return {
    endpoints,
    ...(models.length ? { models } : {}),
    ...(rpm !== undefined || tpm !== undefined
      ? { limits: { ...(rpm !== undefined ? { rpm } : {}), ...(tpm !== undefined ? { tpm } : {}) } }
      : {}),
    ...(amount !== undefined ? { budget: { amountUsd: amount, period: form.budgetPeriod ?? "month" } } : {}),
    ...(ips.length ? { ipAllowList: ips } : {}),
    ...(options.policy
      ? number(form.maxLifetimeDays) !== undefined
        ? { maxLifetimeDays: number(form.maxLifetimeDays) }
        : {}
      : form.expiresOn && isCalendarDate(form.expiresOn)
        ? { expiresAt: new Date(`${form.expiresOn}T23:59:59.999Z`).toISOString() }
        : {}),
  };
}

const formRecord = z.record(z.string(), z.string());

export const INVALID_EXPIRY = "Enter a real date, e.g. 2027-01-31.";
// Ids a form sends back: checked here, so a forged one is a field error and never reaches a query.
const optionalId = z.union([z.uuid("Not a valid id."), z.literal("").transform(() => undefined)]).optional();
const formIdsSchema = z.object({ holderUserId: optionalId, keyId: optionalId });

export const keyFormSchema = formRecord.transform((form, ctx) => {
  const name = keyNameSchema.safeParse(form.name);
  const scopes = keyScopesSchema.safeParse(scopesFromForm(form, { policy: false }));
  const ids = formIdsSchema.safeParse({ holderUserId: form.holderUserId, keyId: form.keyId });
  // An expiry that is not a real day is refused, not rolled over into the next month or a crash.
  const badExpiry = form.expiresOn ? !isCalendarDate(form.expiresOn) : false;
  for (const issue of [
    ...(name.success ? [] : name.error.issues.map((i) => ({ ...i, path: ["name"] }))),
    ...(scopes.success ? [] : scopes.error.issues),
    ...(ids.success ? [] : ids.error.issues),
    ...(badExpiry ? [{ path: ["expiresAt"], message: INVALID_EXPIRY }] : []),
  ]) {
    ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  }
  if (!name.success || !scopes.success || !ids.success || badExpiry) return z.NEVER;
  return {
    teamSlug: form.teamSlug ?? "",
    name: name.data,
    scopes: scopes.data,
    holderUserId: ids.data.holderUserId,
    keyId: ids.data.keyId,
  };
});

export const policyFormSchema = formRecord.transform((form, ctx) => {
  const policy = teamKeyPolicySchema.safeParse(scopesFromForm(form, { policy: true }));
  if (!policy.success) {
    for (const issue of policy.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return z.NEVER;
  }
  return { teamSlug: form.teamSlug ?? "", policy: policy.data };
});

export const keyIdSchema = z.object({ teamSlug, keyId: z.uuid("Not a valid id.") });

export const createKeyJsonSchema = z
  .object({
    name: keyNameSchema,
    scopes: keyScopesSchema,
    memberEmail: z.email().optional(),
    rotationDays: z
      .number()
      .int("rotationDays: use a whole number of days.")
      .min(1, "rotationDays: at least 1 day.")
      .optional()
      .meta({ description: "The key's own rotation period, at most the team rotation policy's maximum age." }),
  })
  .strict();
export const updateKeyJsonSchema = z
  .object({ name: keyNameSchema.optional(), scopes: keyScopesSchema.optional() })
  .strict();

export const managementKeyFormSchema = formRecord.transform((form, ctx) => {
  const name = keyNameSchema.safeParse(form.name);
  const scopes = managementScopesSchema.safeParse(
    Object.keys(form)
      .filter((k) => k.startsWith("scope."))
      .map((k) => k.slice(6)),
  );
  if (!name.success)
    ctx.addIssue({ code: "custom", path: ["name"], message: name.error.issues[0]?.message ?? "Invalid name." });
  if (!scopes.success)
    ctx.addIssue({ code: "custom", path: ["scopes"], message: scopes.error.issues[0]?.message ?? "Invalid scopes." });
  if (!name.success || !scopes.success) return z.NEVER;
  return { teamSlug: form.teamSlug ?? "", name: name.data, scopes: scopes.data };
});
