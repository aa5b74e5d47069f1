"use client";
import { signOut } from "next-auth/react";
import { useActionState, useEffect, useState } from "react";
import { PENDING_INVITE_KEY, useInviteToken, type PendingInvite } from "@/components/auth/pending-invite";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { SubmitButton } from "@/components/ui/submit-button";
import { acceptInviteAction } from "@/lib/actions/accept-invite";
import { lookupInviteAction } from "@/lib/actions/lookup-invite";

type Lookup = Awaited<ReturnType<typeof lookupInviteAction>>;

export function InviteView() {
  const token = useInviteToken();
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [state, accept] = useActionState(acceptInviteAction, null);

  useEffect(() => {
    if (!token) return;
    void lookupInviteAction(token).then((result) => {
      if (result.invite?.status === "valid") {
        const pending: PendingInvite = { token, email: result.invite.email };
        sessionStorage.setItem(PENDING_INVITE_KEY, JSON.stringify(pending));
      } else {
        sessionStorage.removeItem(PENDING_INVITE_KEY);
      }
      setLookup(result);
    });
  }, [token]);

  if (token === null || (lookup && !lookup.invite)) {
    return <Alert tone="error">This invitation link is not valid. Ask the person who invited you for a new one.</Alert>;
  }
  if (lookup === null) {
    return (
      <p className="flex items-center gap-2 text-sm text-slate-500">
        <Spinner /> Checking your invitation…
      </p>
    );
  }
  const { invite, signedInAs } = lookup;
  if (!invite) return null;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Join {invite.teamName}</h1>
        <p className="mt-1 text-sm text-slate-500">
          {invite.inviterName ? `${invite.inviterName} invited you` : "You were invited"} (
          <strong>{invite.email}</strong>) to join as <strong>{invite.role}</strong>.
        </p>
      </div>
      {invite.error ? <Alert tone="error">{invite.error}</Alert> : null}
      {state && !state.ok ? <Alert tone="error">{state.error}</Alert> : null}
      {invite.status !== "valid" ? null : !signedInAs ? (
        <div className="flex flex-col gap-2">
          <ButtonLink href="/sign-up?next=/invite">Create an account as {invite.email}</ButtonLink>
          <ButtonLink href="/sign-in?next=/invite" variant="secondary">
            I already have an account
          </ButtonLink>
        </div>
      ) : signedInAs !== invite.email ? (
        <div className="space-y-3">
          <Alert tone="warning">
            You&apos;re signed in as {signedInAs}, but this invitation is for {invite.email}.
          </Alert>
          <Button variant="secondary" onClick={() => void signOut({ callbackUrl: "/sign-in?next=/invite" })}>
            Sign out and switch account
          </Button>
        </div>
      ) : (
        <form action={accept} onSubmit={() => sessionStorage.removeItem(PENDING_INVITE_KEY)}>
          <input type="hidden" name="token" value={token ?? ""} />
          <SubmitButton className="w-full" pendingLabel="Joining…">
            Accept and join {invite.teamName}
          </SubmitButton>
        </form>
      )}
    </div>
  );
}
