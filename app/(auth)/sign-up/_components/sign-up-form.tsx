"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionResult } from "@/lib/actions/safe-action";
import { signUpAction } from "@/lib/actions/sign-up";
import { PENDING_INVITE_KEY, usePendingInviteEmail, usePendingInviteToken } from "@/components/auth/pending-invite";

type Result = ActionResult<null>;

export function SignUpForm({ next }: { next: string | null }) {
  const router = useRouter();
  const invitedEmail = usePendingInviteEmail();
  // Coming from an invitation (next=/invite): the account joins that team instead of making its own.
  const pendingToken = usePendingInviteToken();
  const inviteToken = next === "/invite" ? pendingToken : "";
  const [checkInbox, setCheckInbox] = useState<string | null>(null);

  const [state, action] = useActionState<Result | null, FormData>(async (previous, formData) => {
    const result = await signUpAction(previous, formData);
    if (!result.ok) return result;
    const email = String(formData.get("email") ?? "");
    const signedIn = await signIn("credentials", {
      email,
      password: String(formData.get("password") ?? ""),
      redirect: false,
    });
    // The server answered as it does for every address. A new account signs in now; when signing in does not
    // work (the address had an account, whose owner was e-mailed), the page says only what is true for both.
    if (!signedIn?.ok || signedIn.error) {
      setCheckInbox(email);
      return result;
    }
    if (inviteToken) sessionStorage.removeItem(PENDING_INVITE_KEY);
    // /dashboard opens the user's first team: the new one, or the one the invitation joined.
    router.replace(inviteToken || !next ? "/dashboard" : next);
    router.refresh();
    return result;
  }, null);

  // The page's own "Already have an account? Sign in" link is below.
  if (checkInbox) {
    return (
      <Alert tone="info">
        Thanks. If <strong>{checkInbox}</strong> already has an account, we&apos;ve e-mailed its owner and created
        nothing: sign in with that account instead.
      </Alert>
    );
  }

  return (
    <StatefulForm state={state} action={action} className="space-y-4" noValidate>
      <FormError state={state} />
      {inviteToken ? <input type="hidden" name="inviteToken" value={inviteToken} /> : null}
      <Field label="Your name" name="name" autoComplete="name" required />
      <Field
        label="Work e-mail"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={invitedEmail}
        key={invitedEmail}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        hint="At least 12 characters. A few unrelated words make a strong, memorable password."
      />
      {next ? null : (
        <Field
          label="Team name"
          name="teamName"
          placeholder="Acme AI"
          hint="You can rename it or create more teams later."
        />
      )}
      <SubmitButton className="w-full" pendingLabel="Creating your account…">
        Create account
      </SubmitButton>
    </StatefulForm>
  );
}
