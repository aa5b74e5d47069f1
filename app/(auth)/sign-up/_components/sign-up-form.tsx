"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionResult } from "@/lib/actions/safe-action";
import { signUpAction } from "@/lib/actions/sign-up";
import { PENDING_INVITE_KEY, usePendingInviteEmail, usePendingInviteToken } from "@/components/auth/pending-invite";

type Result = ActionResult<{ teamSlug: string }>;

export function SignUpForm({ next }: { next: string | null }) {
  const router = useRouter();
  const invitedEmail = usePendingInviteEmail();
  // Coming from an invitation (next=/invite): the account joins that team instead of making its own.
  const pendingToken = usePendingInviteToken();
  const inviteToken = next === "/invite" ? pendingToken : "";

  const [state, action] = useActionState<Result | null, FormData>(async (previous, formData) => {
    const result = await signUpAction(previous, formData);
    if (!result.ok) return result;
    const signedIn = await signIn("credentials", {
      email: String(formData.get("email") ?? ""),
      password: String(formData.get("password") ?? ""),
      redirect: false,
    });
    if (!signedIn?.ok) return { ok: false, error: "Your account was created, but signing in failed. Please sign in." };
    if (inviteToken) sessionStorage.removeItem(PENDING_INVITE_KEY);
    router.replace(inviteToken ? `/t/${result.data.teamSlug}` : (next ?? `/t/${result.data.teamSlug}`));
    router.refresh();
    return result;
  }, null);

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
