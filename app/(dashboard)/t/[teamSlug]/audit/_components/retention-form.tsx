"use client";
// The team's audit retention period, for owners and admins.
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { updateAuditRetentionAction } from "@/lib/actions/audit-retention";

export function RetentionForm({ teamSlug, days }: { teamSlug: string; days: number }) {
  const [state, action] = useActionState(updateAuditRetentionAction, null);
  return (
    <StatefulForm state={state} action={action} className="space-y-4" noValidate>
      <input type="hidden" name="teamSlug" value={teamSlug} />
      {state?.ok ? <Alert tone="success">Audit events are now kept for {state.data.days} days.</Alert> : null}
      <FormError state={state} />
      <div className="max-w-xs">
        <Field
          label="Keep audit events for (days)"
          name="days"
          type="number"
          min={90}
          max={36500}
          required
          defaultValue={days}
          hint="At least 90. Older events are pruned daily; the chain stays verifiable."
        />
      </div>
      <SubmitButton pendingLabel="Saving…">Save retention</SubmitButton>
    </StatefulForm>
  );
}
