// The tenant door for pages: a non-member sees the same 404 as for a team that does not exist.
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { AppError } from "@/lib/api/errors";
import { requireSession } from "@/lib/auth/current";
import type { Permission } from "@/lib/auth/permissions";
import { requestContext } from "@/lib/auth/request-context";
import { resolveTeamContext, type TeamContext } from "@/lib/teams/context";

/** A page a role may not see is a 404 too: members learn nothing about what admins manage. */
export const teamPageContext = cache(
  async (teamSlug: string, permission: Permission = "team.read"): Promise<TeamContext> => {
    const session = await requireSession();
    try {
      return await resolveTeamContext(session, teamSlug, permission, await requestContext());
    } catch (error) {
      if (error instanceof AppError && (error.code === "not_found" || error.code === "forbidden")) notFound();
      // The team requires 2FA and this member has none (grace period over): enrolment first.
      if (error instanceof AppError && error.code === "two_factor_required")
        redirect(`/account/security?required=${encodeURIComponent(teamSlug)}`);
      throw error;
    }
  },
);
