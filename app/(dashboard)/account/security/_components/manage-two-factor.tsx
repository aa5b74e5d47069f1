"use client";
// 2FA is on: new recovery codes, or turning it off. Both need the password and a current code.
import type { ReactNode } from "react";
import { useActionState } from "react";
import { ActionForm, FormError, StatefulForm } from "@/components/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { disableTotpAction } from "@/lib/actions/disable-totp";
import { regenerateRecoveryCodesAction } from "@/lib/actions/regenerate-recovery-codes";
import type { ActionResult } from "@/lib/actions/safe-action";
import type { IssuedCodes } from "./recovery-codes";

function Disclosure({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <details className="group rounded-lg ring-1 ring-slate-200">
      <summary className="cursor-pointer rounded-lg px-4 py-3 text-sm font-medium text-slate-800 hover:bg-slate-50">
        {summary}
      </summary>
      <div className="border-t border-slate-100 px-4 py-4">{children}</div>
    </details>
  );
}

function PasswordAndCode({ prefix }: { prefix: string }) {
  return (
    <>
      <Field
        id={`${prefix}-password`}
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      <Field
        id={`${prefix}-code`}
        label="Authentication code"
        name="code"
        autoComplete="one-time-code"
        required
        hint="The current 6-digit code from your app, or a recovery code."
      />
    </>
  );
}

function RegenerateForm({ onIssued }: { onIssued: (issued: IssuedCodes) => void }) {
  const [state, action] = useActionState(async (previous: ActionResult<IssuedCodes> | null, formData: FormData) => {
    const result = await regenerateRecoveryCodesAction(previous, formData);
    if (result.ok) onIssued(result.data);
    return result;
  }, null);
  return (
    <StatefulForm state={state} action={action} className="max-w-sm space-y-4" noValidate>
      <p className="text-sm text-slate-600">A new set of ten codes replaces the current one at once.</p>
      <FormError state={state} />
      <PasswordAndCode prefix="regenerate" />
      <SubmitButton variant="secondary" pendingLabel="Generating…">
        Generate new codes
      </SubmitButton>
    </StatefulForm>
  );
}

export function ManageTwoFactor({
  enabledAt,
  recoveryCodesLeft,
  recoveryCodesTotal,
  onIssued,
}: {
  enabledAt: string;
  recoveryCodesLeft: number;
  recoveryCodesTotal: number;
  onIssued: (issued: IssuedCodes) => void;
}) {
  const low = recoveryCodesLeft <= 3;
  return (
    <div className="space-y-4">
      <dl className="grid gap-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-500">Turned on</dt>
          <dd className="font-medium text-slate-900">{enabledAt}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Recovery codes</dt>
          <dd className={`font-medium ${low ? "text-amber-800" : "text-slate-900"}`}>
            {recoveryCodesLeft} of {recoveryCodesTotal} recovery codes left
            {low ? <span className="block font-normal">Generate a new set before you run out.</span> : null}
          </dd>
        </div>
      </dl>
      <Disclosure summary="Generate new recovery codes">
        <RegenerateForm onIssued={onIssued} />
      </Disclosure>
      <Disclosure summary="Turn off two-factor authentication">
        <ActionForm action={disableTotpAction} className="max-w-sm space-y-4">
          <p className="text-sm text-slate-600">
            Signing in will need only your password again. Teams that require two-factor authentication will stop
            letting you in.
          </p>
          <PasswordAndCode prefix="disable" />
          <SubmitButton variant="danger" pendingLabel="Turning off…">
            Turn off two-factor authentication
          </SubmitButton>
        </ActionForm>
      </Disclosure>
    </div>
  );
}
