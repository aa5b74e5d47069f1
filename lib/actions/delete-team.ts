"use server";
// Deletes the team for good (owners only; the name must be typed to confirm).
import { redirect } from "next/navigation";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { teamAction } from "@/lib/actions/safe-action";
import { deleteTeam } from "@/lib/teams/teams";

export const deleteTeamAction = teamAction(
  { schema: z.object({ teamSlug: z.string(), confirmName: z.string() }), permission: "team.delete", stepUp: true },
  async (input, ctx) => {
    if (input.confirmName.trim() !== ctx.team.name)
      throw new AppError("unprocessable", "Type the team's name exactly to confirm.", {
        confirmName: ["Type the team's name exactly to confirm."],
      });
    await deleteTeam(ctx);
    redirect("/dashboard");
  },
);
