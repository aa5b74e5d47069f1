"use server";
// The signed-in user leaves a team (not as its last owner).
import { redirect } from "next/navigation";
import { teamAction } from "@/lib/actions/safe-action";
import { leaveTeam } from "@/lib/teams/members";
import { leaveTeamSchema } from "@/lib/validations/team";

export const leaveTeamAction = teamAction({ schema: leaveTeamSchema, permission: "team.read" }, async (_input, ctx) => {
  await leaveTeam(ctx);
  redirect("/dashboard");
});
