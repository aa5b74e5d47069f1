"use server";
// The e-mailed unlock link's button (a POST, so a mail scanner fetching the link unlocks nothing).
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { publicAction } from "@/lib/actions/safe-action";
import { UNLOCK_LINK_INVALID, unlockWithToken } from "@/lib/auth/lockout";

export const unlockAccountAction = publicAction(
  z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, UNLOCK_LINK_INVALID) }),
  async (input, request) => {
    if (!(await unlockWithToken(input.token, request))) throw new AppError("unprocessable", UNLOCK_LINK_INVALID);
    return null;
  },
);
