"use client";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { changePasswordAction } from "@/lib/actions/change-password";

export function ChangePasswordForm() {
  const [state, action] = useActionState(changePasswordAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="max-w-sm space-y-4" noValidate key={state?.ok ? "done" : "form"}>
      {state?.ok ? (
        <Alert tone="success">
          Password changed.{" "}
          {state.data.sessionsEnded > 0 ? `Signed out ${state.data.sessionsEnded} other session(s).` : ""}
        </Alert>
      ) : null}
      {state && !state.ok && !errors ? <Alert tone="error">{state.error}</Alert> : null}
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        errors={errors?.currentPassword}
      />
      <Field
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        errors={errors?.password}
        hint="At least 12 characters."
      />
      <SubmitButton pendingLabel="Saving…">Change password</SubmitButton>
    </form>
  );
}
