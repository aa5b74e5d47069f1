"use server";
// Accepts an invitation for the signed-in user and opens the team.
import { redirect } from "next/navigation";
import { userAction } from "@/lib/actions/safe-action";
import { acceptInvite } from "@/lib/teams/invites";
import { acceptInviteSchema } from "@/lib/validations/team";

export const acceptInviteAction = userAction(acceptInviteSchema, async (input, { session, request }) => {
  const { teamSlug } = await acceptInvite(input.token, session.user, request);
  redirect(`/t/${teamSlug}`);
});
