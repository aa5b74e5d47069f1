// withTeam: the one door for team route handlers (/api/teams/[slug]/…): session, membership, permission, errors.
import { AppError, errorResponse } from "@/lib/api/errors";
import { currentSession } from "@/lib/auth/current";
import type { Permission } from "@/lib/auth/permissions";
import { contextFromHeaders } from "@/lib/auth/request-context";
import { resolveTeamContext, type TeamContext } from "@/lib/teams/context";

type RouteContext<P> = { params: Promise<P> };

export function withTeam<P extends { slug: string }>(
  handler: (request: Request, ctx: TeamContext, params: P) => Promise<Response>,
  options: { permission: Permission },
) {
  return async (request: Request, route: RouteContext<P>): Promise<Response> => {
    try {
      const session = await currentSession();
      if (!session) throw new AppError("unauthorized");
      const params = await route.params;
      const ctx = await resolveTeamContext(session, params.slug, options.permission, contextFromHeaders(request.headers));
      return await handler(request, ctx, params);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
