"use server";
// Renames the team and/or moves its address (owners only); the page then opens at the new address.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { teamAction } from "@/lib/actions/safe-action";
import { renameTeam } from "@/lib/teams/teams";
import { renameTeamSchema } from "@/lib/validations/team";

export const renameTeamAction = teamAction(
  { schema: renameTeamSchema, permission: "team.update" },
  async (input, ctx) => {
    const team = await renameTeam(ctx, { name: input.name, slug: input.slug });
    revalidatePath("/", "layout");
    redirect(`/t/${team.slug}/settings?saved=1`);
  },
);
