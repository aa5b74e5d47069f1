// The signed-in user for server components, actions and route handlers: cookie → live session row.
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { authOptions } from "@/lib/auth/options";
import { currentPendingSession } from "@/lib/auth/pending";
import { findActiveSession, type ActiveSession } from "@/lib/auth/sessions";

/**
 * Once per request (React cache): a valid JWT is not enough, its session row must still be live, within its
 * idle and absolute timeouts, and complete: a session still owing its second factor is not a session here,
 * so no page, action, route handler or API call can use it (lib/auth/pending.ts is the one way to it).
 */
export const currentSession = cache(async (): Promise<ActiveSession | null> => {
  // Session-dependent pages are rendered per request, never prerendered at build time.
  await connection();
  const session = await getServerSession(authOptions());
  if (!session?.sid || !session.userId) return null;
  return findActiveSession(session.sid, session.userId);
});

export async function requireSession(): Promise<ActiveSession> {
  const session = await currentSession();
  if (session) return session;
  // Half signed in: the code is still owed.
  if (await currentPendingSession()) redirect("/sign-in/verify");
  redirect("/sign-in");
}
