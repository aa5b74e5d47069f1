"use server";
// Revokes a member key: it stops working on the very next request.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { revokeKey } from "@/lib/keys/store";
import { keyIdSchema } from "@/lib/validations/keys";

export const revokeKeyAction = teamAction({ schema: keyIdSchema, permission: "api_keys.own" }, async (input, ctx) => {
  await revokeKey(ctx, input.keyId);
  revalidatePath(`/t/${ctx.team.slug}/keys`);
  return null;
});
