// OpenAPI operations of /api/teams/{slug}/members…, …/invites and …/policy: who is in the team, with which
// role, and the ceiling of their keys.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { rotationPolicyOutputSchema, rotationPolicySchema } from "@/lib/rotation/policy";
import { CONFLICT, ERRORS, jsonBody, ok, teamItemParamsSchema, teamParamsSchema } from "@/lib/api/schemas/common";
import {
  changeRoleBodySchema,
  createInviteBodySchema,
  inviteCreatedSchema,
  memberSchema,
} from "@/lib/api/schemas/members";
import { teamKeyPolicySchema } from "@/lib/keys/policy";

export const memberPaths = {
  "/api/teams/{slug}/members": {
    get: {
      summary: "List the team's members",
      requestParams: { path: teamParamsSchema },
      responses: { "200": ok("The members.", memberSchema.array()), ...ERRORS },
    },
  },
  "/api/teams/{slug}/members/{id}": {
    patch: {
      summary: "Change a member's role (members.update_role; never above your own, never the last owner)",
      description:
        "The new role is a ceiling on the member's existing keys: every proxy applies it before this answers.",
      requestParams: { path: teamItemParamsSchema },
      requestBody: jsonBody(changeRoleBodySchema),
      responses: { "200": ok("The member, with the new role.", memberSchema), ...ERRORS, ...CONFLICT },
    },
    delete: {
      summary: "Remove a member (revokes every key they hold in the team, at once)",
      requestParams: { path: teamItemParamsSchema },
      responses: { "204": ok("Removed."), ...ERRORS, ...CONFLICT },
    },
  },
  "/api/teams/{slug}/invites": {
    post: {
      summary: "Invite someone by e-mail (members.invite; a role no higher than your own)",
      description:
        "Sends the invitation e-mail. Inviting the same address again replaces the earlier link. When no e-mail could be sent over SMTP, `link` holds the invitation link for you to pass on.",
      requestParams: { path: teamParamsSchema },
      requestBody: jsonBody(createInviteBodySchema),
      responses: { "201": ok("The invitation.", inviteCreatedSchema), ...ERRORS, ...CONFLICT },
    },
  },
  "/api/teams/{slug}/policy": {
    get: {
      summary: "Read the team's key policy (any member)",
      requestParams: { path: teamParamsSchema },
      responses: { "200": ok("The policy.", teamKeyPolicySchema), ...ERRORS },
    },
    put: {
      summary: "Replace the team's key policy (api_keys.policy)",
      description:
        "The ceiling for every key created or edited from now on, and for the keys already issued: a wider key is narrowed on its next request.",
      requestParams: { path: teamParamsSchema },
      requestBody: jsonBody(teamKeyPolicySchema),
      responses: { "200": ok("The policy as stored.", teamKeyPolicySchema), ...ERRORS },
    },
  },
  "/api/teams/{slug}/rotation-policy": {
    get: {
      summary: "Read the team's rotation policy (any member)",
      requestParams: { path: teamParamsSchema },
      responses: { "200": ok("The policy.", rotationPolicyOutputSchema), ...ERRORS },
    },
    put: {
      summary: "Replace the team's rotation policy (api_keys.policy)",
      description:
        "Maximum ages of member, management and OpenAI keys, reminder offsets (days before the due date) and what happens at the deadline: remind, or expire member and management keys after the grace period. Omitted fields take their defaults.",
      requestParams: { path: teamParamsSchema },
      requestBody: jsonBody(rotationPolicySchema),
      responses: { "200": ok("The policy as stored.", rotationPolicyOutputSchema), ...ERRORS },
    },
  },
} satisfies ZodOpenApiPathsObject;
