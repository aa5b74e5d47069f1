"use server";
// Hands the team's ownership to another member; the previous owner becomes an admin.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { transferOwnership } from "@/lib/teams/members";
import { transferOwnershipSchema } from "@/lib/validations/team";

export const transferOwnershipAction = teamAction(
  { schema: transferOwnershipSchema, permission: "ownership.transfer", stepUp: true },
  async (input, ctx) => {
    await transferOwnership(ctx, input.membershipId);
    revalidatePath(`/t/${ctx.team.slug}`, "layout");
    return null;
  },
);
