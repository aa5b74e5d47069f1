"use client";
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { ScopesFields } from "@/components/keys/scopes-fields";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { updateKeyPolicyAction } from "@/lib/actions/update-key-policy";
import type { TeamKeyPolicy } from "@/lib/keys/policy";

export function PolicyForm({ teamSlug, policy }: { teamSlug: string; policy: TeamKeyPolicy }) {
  const [state, action] = useActionState(updateKeyPolicyAction, null);
  return (
    <StatefulForm state={state} action={action} className="space-y-6" noValidate>
      <input type="hidden" name="teamSlug" value={teamSlug} />
      {state?.ok ? (
        <Alert tone="success">
          Policy saved. It bounds every key of the team, existing ones included, from the next request.
        </Alert>
      ) : null}
      <FormError state={state} />
      <ScopesFields mode="policy" values={policy} errors={state && !state.ok ? state.fieldErrors : undefined} />
      <SubmitButton pendingLabel="Saving…">Save policy</SubmitButton>
    </StatefulForm>
  );
}
