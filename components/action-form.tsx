"use client";
import {
  startTransition,
  useActionState,
  useCallback,
  useEffect,
  useRef,
  useState,
  type ComponentProps,
  type ReactNode,
} from "react";
import { StepUpDialog } from "@/components/step-up-dialog";
import { Alert } from "@/components/ui/alert";
import { SubmittedFormContext } from "@/components/ui/form-context";
import type { ActionResult, FormAction } from "@/lib/actions/safe-action";

// React 19 resets an uncontrolled form once its action completes, and a select ignores a changed
// defaultValue: so after a refusal the form is mounted afresh (a new key per result), its fields taking
// the submitted values as their defaults. One number per result object, the same on every render.
const attempts = new WeakMap<object, number>();
let lastAttempt = 0;
function attemptOf(state: object | null): number {
  if (!state) return 0;
  let attempt = attempts.get(state);
  if (attempt === undefined) attempts.set(state, (attempt = ++lastAttempt));
  return attempt;
}

/**
 * A <form> showing an action's state: after a refusal every field (but a password) holds what was typed,
 * shows its own errors, and focus moves to the first invalid field. A refusal asking for step-up opens the
 * password-or-code dialog, and once that is confirmed the same submission (passwords and keys included,
 * kept in memory only until then) is sent again.
 */
export function StatefulForm<T>({
  state,
  action,
  children,
  onSubmit,
  ...props
}: Omit<ComponentProps<"form">, "action"> & {
  state: ActionResult<T> | null;
  action: (formData: FormData) => void;
}) {
  const failure = state && !state.ok ? state : undefined;
  const attempt = attemptOf(state);
  const form = useRef<HTMLFormElement>(null);
  const lastSubmission = useRef<FormData | null>(null);
  const [stepUpDismissed, setStepUpDismissed] = useState<number | null>(null);
  const stepUpOpen = failure?.code === "reauthentication_required" && stepUpDismissed !== attempt;
  useEffect(() => {
    if (failure && !stepUpOpen) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt, failure, stepUpOpen]);

  const remember: NonNullable<ComponentProps<"form">["onSubmit"]> = (event) => {
    onSubmit?.(event);
    if (event.defaultPrevented) return;
    lastSubmission.current = new FormData(event.currentTarget, event.nativeEvent.submitter);
  };
  const confirmed = useCallback(() => {
    const submission = lastSubmission.current;
    lastSubmission.current = null;
    setStepUpDismissed(attempt);
    if (submission) startTransition(() => action(submission));
  }, [action, attempt]);
  const cancelled = useCallback(() => {
    lastSubmission.current = null;
    setStepUpDismissed(attempt);
  }, [attempt]);

  return (
    <>
      <SubmittedFormContext.Provider value={{ values: failure?.values, fieldErrors: failure?.fieldErrors }}>
        <form key={attempt} ref={form} action={action} onSubmit={remember} {...props}>
          {children}
        </form>
      </SubmittedFormContext.Provider>
      {stepUpOpen ? <StepUpDialog key={attempt} onConfirmed={confirmed} onCancel={cancelled} /> : null}
    </>
  );
}

/**
 * The form-level error: the action's message when it concerns no field in particular. Errors about a field
 * are shown by that field, under its label, so that no message appears twice.
 */
export function FormError({ state }: { state: ActionResult<unknown> | null }) {
  const messages = formLevelErrors(state);
  return messages.length ? <Alert tone="error">{messages.join(" ")}</Alert> : null;
}

function formLevelErrors(state: ActionResult<unknown> | null, hiddenFields: string[] = []): string[] {
  if (!state || state.ok) return [];
  if (!state.fieldErrors) return [state.error];
  return ["_", ...hiddenFields].flatMap((name) => state.fieldErrors?.[name] ?? []);
}

/**
 * A form bound to a server action: hidden fields, an optional confirmation, and the action's error or
 * success message shown next to it (announced to screen readers).
 */
export function ActionForm<T>({
  action,
  hidden = {},
  confirm,
  success,
  className = "",
  children,
}: {
  action: FormAction<T>;
  hidden?: Record<string, string>;
  confirm?: string;
  success?: string | ((result: Extract<ActionResult<T>, { ok: true }>) => ReactNode);
  className?: string;
  children: ReactNode;
}) {
  const [state, formAction] = useActionState(action, null);
  return (
    <StatefulForm
      state={state}
      action={formAction}
      className={className}
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      {formLevelErrors(state, Object.keys(hidden)).length ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {formLevelErrors(state, Object.keys(hidden)).join(" ")}
        </p>
      ) : null}
      {state?.ok && success ? (
        <div role="status" className="mt-2 text-sm text-emerald-700">
          {typeof success === "string" ? success : success(state)}
        </div>
      ) : null}
    </StatefulForm>
  );
}
