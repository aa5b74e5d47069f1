"use client";
// Step-up: a dangerous action was refused with reauthentication_required (lib/auth/step-up.ts), so the form
// that sent it asks for the password or an authenticator code in a modal dialog, then sends the same
// submission again. One component for every form: StatefulForm (components/action-form.tsx) shows it.
import { useActionState, useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SubmittedFormContext } from "@/components/ui/form-context";
import { SubmitButton } from "@/components/ui/submit-button";
import { reauthenticateAction } from "@/lib/actions/reauthenticate";

export function StepUpDialog({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, action] = useActionState(reauthenticateAction, null);
  const failure = state && !state.ok ? state : undefined;

  // A native modal dialog: the rest of the page is inert, Escape cancels, focus returns where it was.
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  useEffect(() => {
    if (state?.ok) onConfirmed();
  }, [state, onConfirmed]);

  return (
    <dialog
      ref={dialog}
      aria-labelledby="step-up-title"
      aria-describedby="step-up-description"
      onCancel={onCancel}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <SubmittedFormContext.Provider value={{ fieldErrors: failure?.fieldErrors }}>
        <form action={action} className="space-y-4 p-5" noValidate>
          <div className="space-y-1">
            <h2 id="step-up-title" className="text-base font-semibold text-slate-900">
              Confirm it is you
            </h2>
            <p id="step-up-description" className="text-sm text-slate-600">
              This change needs your password or a code from your authenticator app, entered in the last 10 minutes.
              Your change is sent again once you confirm.
            </p>
          </div>
          {failure && !failure.fieldErrors ? (
            <p role="alert" className="text-sm text-red-700">
              {failure.error}
            </p>
          ) : null}
          <Field
            label="Password or authenticator code"
            name="secret"
            type="password"
            autoComplete="current-password"
            autoFocus
            required
          />
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
            <SubmitButton pendingLabel="Confirming…">Confirm</SubmitButton>
          </div>
        </form>
      </SubmittedFormContext.Provider>
    </dialog>
  );
}
