"use server";
// Ends every session of the signed-in user, this one included.
import { redirect } from "next/navigation";
import { z } from "zod";
import { userAction } from "@/lib/actions/safe-action";
import { signOutEverywhere } from "@/lib/auth/accounts";

export const signOutEverywhereAction = userAction(z.object({}), async (_input, { session, request }) => {
  await signOutEverywhere(session, request);
  redirect("/sign-in?signedOut=everywhere");
});
