"use server";
// 2FA set-up, step 2: a code from the app turns 2FA on and returns the ten recovery codes (shown once).
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/actions/safe-action";
import { recoveryCodesFile } from "@/lib/auth/recovery-codes";
import { confirmTotpEnrolment } from "@/lib/auth/two-factor";
import { totpCodeSchema } from "@/lib/validations/two-factor";

export const confirmTotpEnrolmentAction = userAction(totpCodeSchema, async (input, { session, request }) => {
  const codes = await confirmTotpEnrolment(session.user.id, input.code.replace(/\s/g, ""), request);
  revalidatePath("/account/security");
  return { codes, file: recoveryCodesFile(session.user.email, codes, new Date()) };
});
