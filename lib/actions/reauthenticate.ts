"use server";
// Step-up: the password or a current authenticator code, entered again before a dangerous action.
import { AppError } from "@/lib/api/errors";
import { userAction } from "@/lib/actions/safe-action";
import { reauthenticate, STEP_UP_ERROR } from "@/lib/auth/sign-in";
import { stepUpSchema } from "@/lib/validations/two-factor";

export const reauthenticateAction = userAction(stepUpSchema, async (input, { session, request }) => {
  if (!(await reauthenticate(session, input.secret, request)))
    throw new AppError("unprocessable", STEP_UP_ERROR, { secret: [STEP_UP_ERROR] });
  return null;
});
