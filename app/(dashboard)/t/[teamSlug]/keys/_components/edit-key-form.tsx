"use client";
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { ScopesFields } from "@/components/keys/scopes-fields";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { updateKeyAction } from "@/lib/actions/update-key";
import type { KeyScopes } from "@/lib/keys/scopes";

export function EditKeyForm({
  teamSlug,
  keyId,
  name,
  scopes,
}: {
  teamSlug: string;
  keyId: string;
  name: string;
  scopes: KeyScopes;
}) {
  const [state, action] = useActionState(updateKeyAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <StatefulForm state={state} action={action} className="space-y-6" noValidate>
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="keyId" value={keyId} />
      {state?.ok ? <Alert tone="success">Saved. The new scopes apply from the next request.</Alert> : null}
      <FormError state={state} />
      <Field label="Key name" name="name" required maxLength={60} defaultValue={name} errors={errors?.name} />
      <ScopesFields mode="key" values={scopes} errors={errors} />
      <SubmitButton pendingLabel="Saving…">Save scopes</SubmitButton>
    </StatefulForm>
  );
}
