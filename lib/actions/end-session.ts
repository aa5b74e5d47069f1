"use server";
// Ends one of the user's own sessions from the Security page: it is signed out on its next request.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { userAction } from "@/lib/actions/safe-action";
import { endOwnSession } from "@/lib/auth/sessions";
import { recordSignInEvent } from "@/lib/auth/sign-in-events";
import { db } from "@/lib/db/client";

export const endSessionAction = userAction(
  z.object({ sessionId: z.uuid("Not a valid session.") }),
  async (input, { session, request }) => {
    if (!(await endOwnSession(session.user.id, input.sessionId))) throw new AppError("not_found");
    await recordSignInEvent(db(), {
      userId: session.user.id,
      sessionId: input.sessionId,
      kind: "session_ended",
      reason: input.sessionId === session.sessionId ? "this session" : "from another session",
      request,
    });
    revalidatePath("/account/security");
    return null;
  },
);
