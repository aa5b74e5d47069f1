// withTeam: the one door for team route handlers (/api/teams/[slug]/…): actor (session or management key),
// membership, permission, errors.
import { AppError, errorResponse } from "@/lib/api/errors";
import { assertStepUp } from "@/lib/auth/step-up";
import { currentSession } from "@/lib/auth/current";
import type { Permission } from "@/lib/auth/permissions";
import { contextFromHeaders } from "@/lib/auth/request-context";
import { resolveManagementKeyContext } from "@/lib/keys/management";
import { resolveTeamContext, type TeamContext } from "@/lib/teams/context";

type RouteContext<P> = { params: Promise<P> };

export function withTeam<P extends { slug: string }>(
  handler: (request: Request, ctx: TeamContext, params: P) => Promise<Response>,
  options: {
    permission: Permission;
    /** Step-up for a browser session: always, or when the request asks for something dangerous (it is given
     * a copy of the request, so the handler still reads the body). */
    stepUp?: boolean | ((request: Request) => Promise<boolean>);
  },
) {
  return async (request: Request, route: RouteContext<P>): Promise<Response> => {
    try {
      const params = await route.params;
      const context = contextFromHeaders(request.headers);
      // The actor is a management key (Authorization: Bearer kw_mgmt_…) or the signed-in session.
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
      let ctx: TeamContext;
      if (bearer) {
        ctx = await resolveManagementKeyContext(bearer, params.slug, options.permission, context);
      } else {
        const session = await currentSession();
        if (!session) throw new AppError("unauthorized");
        ctx = await resolveTeamContext(session, params.slug, options.permission, context);
        // A management key is a credential of its own; a browser session proves a recent password or code.
        const stepUp = options.stepUp;
        assertStepUp(typeof stepUp === "function" ? await stepUp(request.clone()) : stepUp, null, session);
      }
      return await handler(request, ctx, params);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
