"use server";
// Creates an account and its first team; the form then signs in with the same credentials.
import { publicAction } from "@/lib/actions/safe-action";
import { signUp } from "@/lib/auth/accounts";
import { signUpSchema } from "@/lib/validations/auth";

export const signUpAction = publicAction(signUpSchema, async (input, request) => {
  const { team } = await signUp(input, request);
  return { teamSlug: team.slug };
});
