// OpenAPI operations of /api/teams/{slug}/keys…: member keys. The routes parse with these same schemas.
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ERRORS, jsonBody, ok, teamItemParamsSchema, teamParamsSchema } from "@/lib/api/schemas/common";
import { publicKeySchema } from "@/lib/keys/public";
import { createKeyJsonSchema, updateKeyJsonSchema } from "@/lib/validations/keys";

export const listKeysQuerySchema = z.object({
  include: z.enum(["revoked"]).optional().meta({ description: "`revoked` lists revoked keys too." }),
});

const createdKeySchema = publicKeySchema.extend({
  key: z.string().meta({ description: "The key itself: the only time it is ever shown." }),
});

export const keyPaths = {
  "/api/teams/{slug}/keys": {
    get: {
      summary: "List member keys (your own; with api_keys.manage, the team's)",
      requestParams: { path: teamParamsSchema, query: listKeysQuerySchema },
      responses: { "200": ok("The keys (never the secret).", publicKeySchema.array()), ...ERRORS },
    },
    post: {
      summary: "Issue a member key (for yourself, or with api_keys.manage for `memberEmail`)",
      requestParams: { path: teamParamsSchema },
      requestBody: jsonBody(createKeyJsonSchema),
      responses: { "201": ok("The key, with `key` — the only time it is ever shown.", createdKeySchema), ...ERRORS },
    },
  },
  "/api/teams/{slug}/keys/{id}": {
    get: {
      summary: "Read a member key",
      requestParams: { path: teamItemParamsSchema },
      responses: { "200": ok("The key.", publicKeySchema), ...ERRORS },
    },
    patch: {
      summary: "Rename a key or change its scopes (within the team policy)",
      requestParams: { path: teamItemParamsSchema },
      requestBody: jsonBody(updateKeyJsonSchema),
      responses: { "200": ok("The updated key.", publicKeySchema), ...ERRORS },
    },
    delete: {
      summary: "Revoke a key (effective on the next request)",
      requestParams: { path: teamItemParamsSchema },
      responses: { "204": ok("Revoked."), ...ERRORS },
    },
  },
} satisfies ZodOpenApiPathsObject;
