// The half-signed-in session (password done, second factor owed). Only the sign-in verification page and the
// second-factor provider ask for it; currentSession() never returns it, so every other door stays shut.
import { getServerSession } from "next-auth";
import { connection } from "next/server";
import { cache } from "react";
import { authOptions } from "@/lib/auth/options";
import { findActiveSession, type ActiveSession } from "@/lib/auth/sessions";

export const currentPendingSession = cache(async (): Promise<ActiveSession | null> => {
  await connection();
  const session = await getServerSession(authOptions());
  if (!session?.sid || !session.userId) return null;
  return findActiveSession(session.sid, session.userId, { pending: true });
});
