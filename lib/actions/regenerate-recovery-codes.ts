"use server";
// A new set of ten recovery codes; the old set stops working. Needs the password and a current code.
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/actions/safe-action";
import { recoveryCodesFile } from "@/lib/auth/recovery-codes";
import { regenerateRecoveryCodes } from "@/lib/auth/two-factor";
import { passwordAndCodeSchema } from "@/lib/validations/two-factor";

export const regenerateRecoveryCodesAction = userAction(passwordAndCodeSchema, async (input, { session, request }) => {
  const codes = await regenerateRecoveryCodes(session.user.id, input, request);
  revalidatePath("/account/security");
  return { codes, file: recoveryCodesFile(session.user.email, codes, new Date()) };
});
