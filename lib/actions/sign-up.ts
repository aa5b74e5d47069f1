"use server";
// Creates an account and its first team — or, for an address that has an account, e-mails its owner. The
// answer is the same either way (lib/auth/accounts.ts signUpOrNotify); the form then tries to sign in.
import { after } from "next/server";
import { publicAction } from "@/lib/actions/safe-action";
import { signUpOrNotify } from "@/lib/auth/accounts";
import { signUpSchema } from "@/lib/validations/auth";

export const signUpAction = publicAction(signUpSchema, async (input, request) => {
  const { notice } = await signUpOrNotify(input, request);
  // The owner's e-mail goes out after the answer: its delay must not tell a taken address from a new one.
  if (notice) after(notice);
  return null;
});
