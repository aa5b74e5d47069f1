"use server";
// Turns 2FA off: the password and a current code (or a recovery code), and a recent step-up.
import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/actions/safe-action";
import { disableTotp } from "@/lib/auth/two-factor";
import { passwordAndCodeSchema } from "@/lib/validations/two-factor";

export const disableTotpAction = userAction(
  passwordAndCodeSchema,
  async (input, { session, request }) => {
    await disableTotp(session.user.id, input, request);
    revalidatePath("/account/security");
    return null;
  },
  { stepUp: true },
);
