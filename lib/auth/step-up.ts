// Step-up for dangerous actions, checked by the wrappers (safe-action.ts, with-team.ts), never by actions.
import { AppError } from "@/lib/api/errors";
import { recentlyReauthenticated, type ActiveSession } from "@/lib/auth/sessions";

/**
 * Step-up: the action is dangerous, so the password or a TOTP code must have been entered in this session
 * within the last 10 minutes (lib/auth/sessions.ts). `true`, or a test of the parsed input (a key wider than
 * read-only, say).
 */
export type StepUp<I> = boolean | ((input: I) => boolean);

export function assertStepUp<I>(stepUp: StepUp<I> | undefined, input: I, session: ActiveSession): void {
  const needed = typeof stepUp === "function" ? stepUp(input) : stepUp === true;
  if (needed && !recentlyReauthenticated(session)) throw new AppError("reauthentication_required");
}
