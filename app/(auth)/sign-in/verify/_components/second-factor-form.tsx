"use client";
import { signIn, signOut } from "next-auth/react";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { SIGN_IN_MESSAGES, signInErrorMessage } from "@/lib/validations/sign-in-errors";

type Method = "app" | "recovery";

/** After a recovery code the Security page says how many are left (and offers new ones); then on to `next`. */
function afterRecoveryCode(next: string): string {
  const query = new URLSearchParams({ signedInWith: "recovery-code" });
  if (next !== "/dashboard") query.set("next", next);
  return `/account/security?${query.toString()}`;
}

export function SecondFactorForm({ next }: { next: string }) {
  const [method, setMethod] = useState<Method>("app");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(formData: FormData) {
    setError(null);
    startTransition(async () => {
      const result = await signIn("second-factor", { code: String(formData.get("code") ?? ""), redirect: false });
      if (!result?.ok || result.error) {
        // Wrong, already used, throttled or locked: one answer, as on the password step.
        setError(signInErrorMessage(result?.error, SIGN_IN_MESSAGES.wrongCode));
        return;
      }
      // A full page load, as after the password: the session is new.
      window.location.assign(method === "recovery" ? afterRecoveryCode(next) : next);
    });
  }

  function switchTo(other: Method) {
    setMethod(other);
    setError(null);
  }

  return (
    <div className="space-y-4">
      {/* A new key per method: the field starts empty, with the other method's attributes. */}
      <form key={method} action={submit} className="space-y-4" noValidate>
        {error ? <Alert tone="error">{error}</Alert> : null}
        {method === "app" ? (
          <Field
            label="Authentication code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
            autoFocus
            hint="The 6-digit code your authenticator app shows for Keyward."
          />
        ) : (
          <Field
            label="Recovery code"
            name="code"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={32}
            required
            autoFocus
            hint="One of the ten codes you saved when you set up two-factor authentication, like abcd-efgh-jkmn. Each works once."
          />
        )}
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? <Spinner /> : null}
          {pending ? "Checking…" : "Verify"}
        </Button>
      </form>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <button
          type="button"
          className="font-medium text-brand-600 hover:underline"
          onClick={() => switchTo(method === "app" ? "recovery" : "app")}
        >
          {method === "app" ? "Use a recovery code" : "Use your authenticator app"}
        </button>
        <button
          type="button"
          className="text-slate-600 hover:underline"
          onClick={() => void signOut({ callbackUrl: "/sign-in" })}
        >
          Sign out
        </button>
      </div>
    </div>
  );
}
