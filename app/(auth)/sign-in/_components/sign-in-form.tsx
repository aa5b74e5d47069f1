"use client";
import { signIn } from "next-auth/react";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { SIGN_IN_MESSAGES, signInErrorMessage } from "@/lib/validations/sign-in-errors";

/** The second step's address: it sends a user without 2FA straight on to `next`, and asks anyone else for a code. */
export function verifyPath(next: string): string {
  return next === "/dashboard" ? "/sign-in/verify" : `/sign-in/verify?next=${encodeURIComponent(next)}`;
}

export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(formData: FormData) {
    setError(null);
    startTransition(async () => {
      const result = await signIn("credentials", {
        email: String(formData.get("email") ?? ""),
        password: String(formData.get("password") ?? ""),
        redirect: false,
      });
      if (!result?.ok || result.error) {
        // One message for an unknown e-mail, a wrong password, a throttled or a locked account: the form
        // must not reveal who has an account. Only the IP limit is named.
        setError(signInErrorMessage(result?.error, SIGN_IN_MESSAGES.wrongPassword));
        return;
      }
      // The answer does not say whether a code is owed (the cookie names a pending session either way):
      // /sign-in/verify knows, and sends a fully signed-in user on to `next` at once. A full page load, not
      // a client-side one: a new session, so nothing rendered for the signed-out visitor is kept, and the
      // page arrives whole (a soft navigation leaves it without a <title> for a moment).
      window.location.assign(verifyPath(next));
    });
  }

  return (
    <form action={submit} className="space-y-4" noValidate>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field label="E-mail" name="email" type="email" autoComplete="email" required autoFocus />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? <Spinner /> : null}
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
