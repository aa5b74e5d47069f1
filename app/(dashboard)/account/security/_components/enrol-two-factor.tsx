"use client";
// Setting up 2FA: the password again → a QR code and the setup key → a code from the app turns it on.
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { beginTotpEnrolmentAction } from "@/lib/actions/begin-totp-enrolment";
import { confirmTotpEnrolmentAction } from "@/lib/actions/confirm-totp-enrolment";
import type { ActionResult } from "@/lib/actions/safe-action";
import type { IssuedCodes } from "./recovery-codes";

type Enrolment = { secretForEntry: string; qrSvg: string };

function StepTitle({ step, children }: { step: number; children: React.ReactNode }) {
  return (
    <h3 className="text-sm font-semibold text-slate-900">
      <span className="text-slate-500">Step {step} of 3 · </span>
      {children}
    </h3>
  );
}

type StepProps = { onCancel: () => void; onEnabled: (issued: IssuedCodes) => void };

export function EnrolTwoFactor(props: StepProps) {
  const [state, action] = useActionState(beginTotpEnrolmentAction, null);
  if (state?.ok) return <ScanStep enrolment={state.data} {...props} />;
  const { onCancel } = props;
  return (
    <StatefulForm state={state} action={action} className="max-w-sm space-y-4" noValidate>
      <StepTitle step={1}>Confirm it is you</StepTitle>
      <FormError state={state} />
      <Field
        id="enrol-password"
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus
      />
      <div className="flex flex-wrap gap-2">
        <SubmitButton pendingLabel="Checking…">Continue</SubmitButton>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </StatefulForm>
  );
}

function ScanStep({ enrolment, onCancel, onEnabled }: StepProps & { enrolment: Enrolment }) {
  // The codes go up to the panel, which shows them in place of this form (and keeps them on screen while the
  // page re-renders with 2FA on).
  const [state, action] = useActionState(async (previous: ActionResult<IssuedCodes> | null, formData: FormData) => {
    const result = await confirmTotpEnrolmentAction(previous, formData);
    if (result.ok) onEnabled(result.data);
    return result;
  }, null);
  return (
    <div className="space-y-5">
      <StepTitle step={2}>Scan the QR code</StepTitle>
      <div className="flex flex-col gap-5 sm:flex-row sm:items-start">
        {/* eslint-disable-next-line @next/next/no-img-element -- a generated data: SVG, nothing for next/image to optimise */}
        <img
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`}
          alt="QR code to add Keyward to your authenticator app"
          width={176}
          height={176}
          className="size-44 shrink-0 self-center rounded-lg bg-white p-1 ring-1 ring-slate-200 sm:self-start"
        />
        <div className="min-w-0 space-y-3 text-sm text-slate-600">
          <p>
            Open your authenticator app (1Password, Google Authenticator, Microsoft Authenticator, Authy, …), add an
            account and scan this code.
          </p>
          <div>
            <p>Can&apos;t scan it? Enter this setup key instead (time-based, 6 digits):</p>
            <code
              data-testid="totp-secret"
              className="mt-1 block rounded-md bg-slate-50 px-3 py-2 font-mono text-sm tracking-wide [overflow-wrap:anywhere] text-slate-900 ring-1 ring-slate-200 ring-inset"
            >
              {enrolment.secretForEntry}
            </code>
          </div>
        </div>
      </div>
      <StatefulForm state={state} action={action} className="max-w-sm space-y-4" noValidate>
        <StepTitle step={3}>Enter the code the app shows</StepTitle>
        <FormError state={state} />
        <Field
          id="enrol-code"
          label="Authentication code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          required
          hint="6 digits. It changes every 30 seconds."
        />
        <div className="flex flex-wrap gap-2">
          <SubmitButton pendingLabel="Turning on…">Turn on two-factor authentication</SubmitButton>
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </StatefulForm>
    </div>
  );
}
