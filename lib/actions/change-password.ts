"use server";
// Changes the signed-in user's password and ends their other sessions.
import { userAction } from "@/lib/actions/safe-action";
import { changePassword } from "@/lib/auth/accounts";
import { changePasswordSchema } from "@/lib/validations/auth";

export const changePasswordAction = userAction(changePasswordSchema, (input, { session, request }) =>
  changePassword(session, input, request),
);
