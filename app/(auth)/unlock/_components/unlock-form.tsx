"use client";
import Link from "next/link";
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { unlockAccountAction } from "@/lib/actions/unlock-account";

export function UnlockForm({ token }: { token: string }) {
  const [state, action] = useActionState(unlockAccountAction, null);
  if (state?.ok)
    return (
      <div className="space-y-4">
        <Alert tone="success">
          Your account is unlocked. If the failed attempts were not yours, change your password after signing in.
        </Alert>
        <p className="text-center text-sm">
          <Link href="/sign-in" className="font-medium text-brand-600 hover:underline">
            Sign in
          </Link>
        </p>
      </div>
    );
  return (
    <StatefulForm state={state} action={action} className="space-y-4" noValidate>
      <FormError state={state} />
      <input type="hidden" name="token" value={token} />
      <SubmitButton className="w-full" pendingLabel="Unlocking…">
        Unlock my account
      </SubmitButton>
      {state && !state.ok ? (
        <p className="text-center text-sm">
          <Link href="/sign-in" className="font-medium text-brand-600 hover:underline">
            Go to sign in
          </Link>
        </p>
      ) : null}
    </StatefulForm>
  );
}
