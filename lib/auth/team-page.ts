// The tenant door for pages: a non-member sees the same 404 as for a team that does not exist.
import { notFound } from "next/navigation";
import { cache } from "react";
import { AppError } from "@/lib/api/errors";
import { requireSession } from "@/lib/auth/current";
import { requestContext } from "@/lib/auth/request-context";
import { resolveTeamContext, type TeamContext } from "@/lib/teams/context";

export const teamPageContext = cache(async (teamSlug: string): Promise<TeamContext> => {
  const session = await requireSession();
  try {
    return await resolveTeamContext(session, teamSlug, "team.read", await requestContext());
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
});
