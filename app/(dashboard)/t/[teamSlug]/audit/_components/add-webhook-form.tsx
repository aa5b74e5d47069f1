"use client";
// Adds an audit webhook; its signing secret is shown once, here, right after saving.
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { addAuditWebhookAction } from "@/lib/actions/audit-webhooks";

export function AddWebhookForm({ teamSlug }: { teamSlug: string }) {
  const [state, action] = useActionState(addAuditWebhookAction, null);
  return (
    <StatefulForm state={state} action={action} className="space-y-4" noValidate autoComplete="off">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      {state?.ok ? (
        <Alert tone="success">
          <p>
            Every new audit event now goes to{" "}
            <span className="font-medium [overflow-wrap:anywhere]">{state.data.url}</span>. Its signing secret, shown
            only this once (verify the <code>webhook-signature</code> header with it):
          </p>
          <code
            className="mt-2 block rounded bg-white px-2 py-1 font-mono text-xs [overflow-wrap:anywhere] text-slate-900 ring-1 ring-slate-200"
            aria-label="Signing secret"
          >
            {state.data.secret}
          </code>
        </Alert>
      ) : null}
      <FormError state={state} />
      <Field
        label="Endpoint URL"
        name="url"
        type="url"
        required
        maxLength={2000}
        placeholder="https://siem.example.com/hooks/keyward"
        spellCheck={false}
        hint="Events are POSTed as JSON and signed per Standard Webhooks; failed deliveries are retried with backoff."
      />
      <SubmitButton pendingLabel="Adding…">Add endpoint</SubmitButton>
    </StatefulForm>
  );
}
