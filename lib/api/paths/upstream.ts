// OpenAPI operations of /api/teams/{slug}/upstream-keys… and …/reencryption: the team's OpenAI keys.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ERRORS, jsonBody, ok, teamItemParamsSchema, teamParamsSchema } from "@/lib/api/schemas/common";
import {
  reencryptionStatusSchema,
  upstreamCheckSchema,
  upstreamKeyCreatedSchema,
  upstreamKeyPatchSchema,
  upstreamKeySchema,
} from "@/lib/api/schemas/upstream";
import { upstreamKeyFieldsSchema } from "@/lib/validations/upstream";

export const upstreamPaths = {
  "/api/teams/{slug}/upstream-keys": {
    get: {
      summary: "List the team's OpenAI keys, masked (session only: upstream_keys.read)",
      requestParams: { path: teamParamsSchema },
      responses: { "200": ok("The keys, masked.", upstreamKeySchema.array()), ...ERRORS },
    },
    post: {
      summary: "Add an OpenAI key (stored encrypted; checked against the upstream unless `skipCheck`)",
      requestParams: { path: teamParamsSchema },
      requestBody: jsonBody(upstreamKeyFieldsSchema),
      responses: { "201": ok("The key, masked.", upstreamKeyCreatedSchema), ...ERRORS },
    },
  },
  "/api/teams/{slug}/upstream-keys/{id}": {
    patch: {
      summary: "Enable or disable an OpenAI key",
      requestParams: { path: teamItemParamsSchema },
      requestBody: jsonBody(upstreamKeyPatchSchema),
      responses: { "204": ok("Changed."), ...ERRORS },
    },
    delete: {
      summary: "Delete an OpenAI key",
      requestParams: { path: teamItemParamsSchema },
      responses: { "204": ok("Deleted."), ...ERRORS },
    },
  },
  "/api/teams/{slug}/upstream-keys/{id}/check": {
    post: {
      summary: "Check a stored OpenAI key against the upstream (decrypted in memory only)",
      requestParams: { path: teamItemParamsSchema },
      responses: { "200": ok("What the upstream said.", upstreamCheckSchema), ...ERRORS },
    },
  },
  "/api/teams/{slug}/reencryption": {
    get: {
      summary: "The team's latest re-encryption job and how many of its secrets are stale",
      requestParams: { path: teamParamsSchema },
      responses: { "200": ok("The job (or null) and the counts.", reencryptionStatusSchema), ...ERRORS },
    },
  },
} satisfies ZodOpenApiPathsObject;
