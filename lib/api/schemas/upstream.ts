// The management API's view of a team's OpenAI keys and re-encryption: never a key, only its masked hint.
import { z } from "zod";

export const upstreamKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  masked: z.string().meta({ description: "The key's last characters, as sk-…abcd." }),
  organizationId: z.string().nullable(),
  projectId: z.string().nullable(),
  weight: z.number().int(),
  enabled: z.boolean(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  verifiedAt: z.iso.datetime().nullable(),
  retiresAt: z.iso
    .datetime()
    .nullable()
    .meta({ description: "Set while the key is being replaced by automatic rotation: when it is removed." }),
  createdBy: z.object({ name: z.string(), email: z.string() }).nullable(),
});

export const upstreamKeyCreatedSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  masked: z.string(),
  verified: z.boolean().meta({ description: "Whether the key was checked against the upstream." }),
});

export const upstreamKeyPatchSchema = z.object({ enabled: z.boolean() }).strict();

export const upstreamCheckSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("valid") }),
  z.object({ status: z.literal("rejected"), httpStatus: z.number().int() }),
  z.object({ status: z.literal("unreachable") }),
]);

export const reencryptionStatusSchema = z.object({
  job: z
    .object({
      id: z.uuid(),
      status: z.string(),
      total: z.number().int(),
      done: z.number().int(),
      toVersion: z.number().int(),
      error: z.string().nullable(),
      createdAt: z.iso.datetime(),
      finishedAt: z.iso.datetime().nullable(),
    })
    .nullable(),
  stale: z.number().int().meta({ description: "The team's secrets not under the current master key." }),
  currentVersion: z.number().int(),
});
