// Hourly clean-up of sign-in data in the web process: sign-in rows past their retention period, throttle rows
// expired over an hour ago, and session rows ended or expired more than 30 days ago. Every server may run it:
// each statement is an idempotent DELETE. (The job queue of the audit issue will take this over.)
import { pruneSignInEvents } from "@/lib/auth/sign-in-events";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/logger";

const HOUR_MS = 60 * 60 * 1000;
const SESSION_ROWS_KEPT_MS = 30 * 24 * HOUR_MS;

export async function pruneSignInData(
  now = new Date(),
): Promise<{ events: number; throttle: number; sessions: number }> {
  const events = await pruneSignInEvents(now);
  const throttle = await db().signInThrottle.deleteMany({
    where: { expire: { lt: new Date(now.getTime() - HOUR_MS) } },
  });
  const cutoff = new Date(now.getTime() - SESSION_ROWS_KEPT_MS);
  const sessions = await db().userSession.deleteMany({
    where: { OR: [{ revokedAt: { lt: cutoff } }, { expiresAt: { lt: cutoff } }] },
  });
  return { events, throttle: throttle.count, sessions: sessions.count };
}

/** Runs now and every hour; returns the stop function. */
export function startSignInHousekeeping(): () => void {
  const run = () =>
    pruneSignInData().then(
      (pruned) => {
        if (pruned.events + pruned.throttle + pruned.sessions > 0) logger.info(pruned, "pruned old sign-in data");
      },
      (error: unknown) => logger.warn({ err: error }, "could not prune old sign-in data"),
    );
  void run();
  const timer = setInterval(() => void run(), HOUR_MS);
  timer.unref();
  return () => clearInterval(timer);
}
