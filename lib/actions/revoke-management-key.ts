"use server";
// Revokes a team management key.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { revokeManagementKey } from "@/lib/keys/management";
import { keyIdSchema } from "@/lib/validations/keys";

export const revokeManagementKeyAction = teamAction(
  { schema: keyIdSchema, permission: "management_keys.write" },
  async (input, ctx) => {
    await revokeManagementKey(ctx, input.keyId);
    revalidatePath(`/t/${ctx.team.slug}/keys/settings`);
    return null;
  },
);
