// Input schemas for the team's upstream (OpenAI) keys.
import { z } from "zod";
import { safeText } from "@/lib/validations/text";

const teamSlug = z.string().min(1).max(64);
const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.boolean()])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

export const upstreamKeySecretSchema = z
  .string()
  .trim()
  .regex(/^sk-[A-Za-z0-9_-]{16,256}$/, "That doesn't look like an OpenAI API key (it starts with sk-).");

export const upstreamKeyFieldsSchema = z.object({
  name: safeText().trim().min(1, "Give the key a name.").max(60, "Use at most 60 characters."),
  key: upstreamKeySecretSchema,
  organizationId: z
    .string()
    .trim()
    .regex(/^org-[A-Za-z0-9]{4,64}$/, "Organization ids look like org-…")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  projectId: z
    .string()
    .trim()
    .regex(/^proj_[A-Za-z0-9]{4,64}$/, "Project ids look like proj_…")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  weight: z.coerce.number().int("Use a whole number.").min(1, "Use 1 to 100.").max(100, "Use 1 to 100.").default(1),
  skipCheck: checkbox,
});
export type UpstreamKeyInput = z.infer<typeof upstreamKeyFieldsSchema>;

export const addUpstreamKeySchema = upstreamKeyFieldsSchema.extend({ teamSlug });
export const upstreamKeyIdSchema = z.object({ teamSlug, keyId: z.uuid("Not a valid id.") });
export const setUpstreamKeyEnabledSchema = upstreamKeyIdSchema.extend({
  enabled: z.enum(["true", "false"]).transform((v) => v === "true"),
});

/** The OpenAI Admin key for automatic rotation (lib/rotation/upstream.ts): checked there against the project. */
export const openAIAdminKeyFormSchema = z.object({
  teamSlug,
  adminKey: z
    .string()
    .trim()
    .regex(
      /^sk-admin-[A-Za-z0-9_-]{16,256}$/,
      "That doesn't look like an OpenAI Admin key (it starts with sk-admin-).",
    ),
  projectId: z
    .string()
    .trim()
    .regex(/^proj_[A-Za-z0-9]{4,64}$/, "Project ids look like proj_…"),
  autoRotate: checkbox,
});
export const teamSlugOnlySchema = z.object({ teamSlug });
