// The wrappers every server action goes through: actor → (team membership → permission) → input → result.
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { echoableValues, formToObject, type FormValues } from "@/lib/validations/form-values";
import { AppError, toAppError, type ErrorCode, type FieldErrors } from "@/lib/api/errors";
import { currentSession } from "@/lib/auth/current";
import type { Permission } from "@/lib/auth/permissions";
import { requestContext } from "@/lib/auth/request-context";
import type { ActiveSession } from "@/lib/auth/sessions";
import { assertStepUp, type StepUp } from "@/lib/auth/step-up";
import { resolveTeamContext, type TeamContext } from "@/lib/teams/context";
import type { RequestContext } from "@/lib/audit/record";

/** A refusal: the message, the fields it concerns, and what was submitted (secrets left out) to show again. */
export type ActionFailure = {
  ok: false;
  error: string;
  /** The error's code: "reauthentication_required" makes the form ask for the password or a code (step-up). */
  code?: ErrorCode;
  fieldErrors?: FieldErrors;
  values?: FormValues;
};

export type ActionResult<T> = { ok: true; data: T } | ActionFailure;
export type FormAction<T> = (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

function failure(error: unknown, submitted: FormValues): ActionFailure {
  unstable_rethrow(error); // redirect() and notFound() are control flow, not failures
  const appError = toAppError(error);
  return {
    ok: false,
    error: appError.message,
    code: appError.code,
    fieldErrors: appError.fieldErrors,
    values: echoableValues(submitted),
  };
}

/** An action anyone may call (sign-up). */
export function publicAction<S extends z.ZodType, T>(
  schema: S,
  fn: (input: z.infer<S>, request: RequestContext) => Promise<T>,
): FormAction<T> {
  return async (_previous, formData) => {
    const raw = formToObject(formData);
    try {
      return { ok: true, data: await fn(schema.parse(raw), await requestContext()) };
    } catch (error) {
      return failure(error, raw);
    }
  };
}

/** An action for any signed-in user, about their own account. */
export function userAction<S extends z.ZodType, T>(
  schema: S,
  fn: (input: z.infer<S>, ctx: { session: ActiveSession; request: RequestContext }) => Promise<T>,
  options: { stepUp?: StepUp<z.infer<S>> } = {},
): FormAction<T> {
  return async (_previous, formData) => {
    const raw = formToObject(formData);
    try {
      const session = await currentSession();
      if (!session) throw new AppError("unauthorized");
      const input = schema.parse(raw);
      assertStepUp(options.stepUp, input, session);
      return { ok: true, data: await fn(input, { session, request: await requestContext() }) };
    } catch (error) {
      return failure(error, raw);
    }
  };
}

const teamSlugSchema = z.object({ teamSlug: z.string().min(1).max(64) });

/**
 * An action on a team's data. The team comes from the form's `teamSlug`; a user who is not a member gets
 * the same "not found" as for a team that does not exist, before their input is even looked at.
 */
export function teamAction<S extends z.ZodType, T>(
  config: { schema: S; permission: Permission; stepUp?: StepUp<z.infer<S>> },
  fn: (input: z.infer<S>, ctx: TeamContext) => Promise<T>,
): FormAction<T> {
  return async (_previous, formData) => {
    const raw = formToObject(formData);
    try {
      const session = await currentSession();
      if (!session) throw new AppError("unauthorized");
      const { teamSlug } = teamSlugSchema.parse(raw);
      const ctx = await resolveTeamContext(session, teamSlug, config.permission, await requestContext());
      const input = config.schema.parse(raw);
      assertStepUp(config.stepUp, input, session);
      return { ok: true, data: await fn(input, ctx) };
    } catch (error) {
      return failure(error, raw);
    }
  };
}
