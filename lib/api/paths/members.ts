// OpenAPI operations of /api/teams/{slug}/members…: the team's members.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ERRORS, ok, teamItemParamsSchema, teamParamsSchema } from "@/lib/api/schemas/common";
import { memberSchema } from "@/lib/api/schemas/members";

export const memberPaths = {
  "/api/teams/{slug}/members": {
    get: {
      summary: "List the team's members",
      requestParams: { path: teamParamsSchema },
      responses: { "200": ok("The members.", memberSchema.array()), ...ERRORS },
    },
  },
  "/api/teams/{slug}/members/{id}": {
    delete: {
      summary: "Remove a member (revokes every key they hold in the team, at once)",
      requestParams: { path: teamItemParamsSchema },
      responses: { "204": ok("Removed."), ...ERRORS },
    },
  },
} satisfies ZodOpenApiPathsObject;
