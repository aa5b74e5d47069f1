"use server";
// Creates another team owned by the signed-in user and opens it.
import { redirect } from "next/navigation";
import { userAction } from "@/lib/actions/safe-action";
import { createTeam } from "@/lib/teams/teams";
import { createTeamSchema } from "@/lib/validations/team";

export const createTeamAction = userAction(createTeamSchema, async (input, { session, request }) => {
  const team = await createTeam({
    name: input.name,
    ownerId: session.user.id,
    actor: { type: "user", id: session.user.id, label: session.user.email },
    context: request,
  });
  redirect(`/t/${team.slug}`);
});
