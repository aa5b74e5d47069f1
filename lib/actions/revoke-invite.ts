"use server";
// Revokes a pending invitation of the team.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { revokeInvite } from "@/lib/teams/invites";
import { revokeInviteSchema } from "@/lib/validations/team";

export const revokeInviteAction = teamAction(
  { schema: revokeInviteSchema, permission: "members.invite" },
  async (input, ctx) => {
    await revokeInvite(ctx, input.inviteId);
    revalidatePath(`/t/${ctx.team.slug}/members`);
    return null;
  },
);
