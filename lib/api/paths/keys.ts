// OpenAPI operations of /api/teams/{slug}/keys…: member keys. The routes parse with these same schemas.
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { CONFLICT, ERRORS, jsonBody, ok, teamItemParamsSchema, teamParamsSchema } from "@/lib/api/schemas/common";
import { publicKeySchema } from "@/lib/keys/public";
import { createKeyJsonSchema, updateKeyJsonSchema } from "@/lib/validations/keys";
import { rollKeyJsonSchema } from "@/lib/validations/rotation";

export const listKeysQuerySchema = z.object({
  include: z.enum(["revoked"]).optional().meta({ description: "`revoked` lists revoked keys too." }),
});

const createdKeySchema = publicKeySchema.extend({
  key: z.string().meta({ description: "The key itself: the only time it is ever shown." }),
});

/** A roll's answer: the successor, its key (shown this once), and when the old key stops. Routes parse with it. */
export const rolledKeySchema = createdKeySchema.extend({
  previous: z.object({
    id: z.uuid(),
    overlapEndsAt: z.iso.datetime().meta({ description: "When the old key stops working." }),
  }),
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
  "/api/teams/{slug}/keys/{id}/roll": {
    post: {
      summary: "Roll a key: a successor with the same name, scopes and holder; the old key works for the overlap",
      description:
        "Budgets, rate limits and usage belong to the roll chain, so rolling resets none of them. 409 when the key was already rolled (roll its successor) or is revoked or expired.",
      requestParams: { path: teamItemParamsSchema },
      requestBody: jsonBody(rollKeyJsonSchema),
      responses: {
        "201": ok("The successor, with `key` — the only time it is ever shown.", rolledKeySchema),
        ...ERRORS,
        ...CONFLICT,
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
