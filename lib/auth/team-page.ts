// The tenant door for pages: a non-member sees the same 404 as for a team that does not exist.
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { requireSession } from "@/lib/auth/current";
import type { Permission } from "@/lib/auth/permissions";
import { requestContext } from "@/lib/auth/request-context";
import { resolveTeamContext, type TeamContext } from "@/lib/teams/context";
import { getMember } from "@/lib/teams/members";

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

/**
 * A page about one member of the team. An id that is malformed, unknown or another team's member is the same
 * 404 as a team one is not in. Cached per request, so a layout can call it to refuse before a loading.tsx
 * boundary starts streaming (a notFound() after that answers 200), and the page reuses the result.
 */
export const teamMemberPageContext = cache(
  async (
    teamSlug: string,
    membershipId: string,
    permission: Permission,
  ): Promise<{ ctx: TeamContext; membershipId: string }> => {
    const ctx = await teamPageContext(teamSlug, permission);
    const id = z.uuid().safeParse(membershipId);
    if (!id.success) notFound();
    await getMember(ctx, id.data).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "not_found") notFound();
      throw error;
    });
    return { ctx, membershipId: id.data };
  },
);
