"use client";
// The team's rotation policy: when keys are due, when people are reminded, and what happens at the deadline.
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Alert } from "@/components/ui/alert";
import { Field, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { updateRotationPolicyAction } from "@/lib/actions/update-rotation-policy";
import type { RotationPolicy } from "@/lib/rotation/policy";

export function RotationPolicyForm({ teamSlug, policy }: { teamSlug: string; policy: RotationPolicy }) {
  const [state, action] = useActionState(updateRotationPolicyAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const days = { type: "number", min: 1, max: 3650, required: true } as const;
  return (
    <StatefulForm state={state} action={action} className="space-y-4" noValidate>
      <input type="hidden" name="teamSlug" value={teamSlug} />
      {state?.ok ? <Alert tone="success">Rotation policy saved.</Alert> : null}
      <FormError state={state} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label="Member keys: rotate every (days)"
          name="memberKeyMaxAgeDays"
          defaultValue={policy.memberKeyMaxAgeDays}
          errors={errors?.["memberKeyMaxAgeDays"]}
          {...days}
        />
        <Field
          label="Management keys: rotate every (days)"
          name="managementKeyMaxAgeDays"
          defaultValue={policy.managementKeyMaxAgeDays}
          errors={errors?.["managementKeyMaxAgeDays"]}
          {...days}
        />
        <Field
          label="OpenAI keys: rotate every (days)"
          name="upstreamKeyMaxAgeDays"
          defaultValue={policy.upstreamKeyMaxAgeDays}
          errors={errors?.["upstreamKeyMaxAgeDays"]}
          {...days}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label="Reminders (days before the due date)"
          name="reminderOffsetsDays"
          defaultValue={policy.reminderOffsetsDays.join(", ")}
          errors={errors?.["reminderOffsetsDays"]}
          hint="Comma-separated; 0 is the due date itself."
        />
        <Select
          label="At the due date"
          name="atDeadline"
          defaultValue={policy.atDeadline}
          errors={errors?.["atDeadline"]}
        >
          <option value="remind">Remind only</option>
          <option value="expire">Expire member and management keys after the grace period</option>
        </Select>
        <Field
          label="Grace period (days)"
          name="graceDays"
          type="number"
          min={0}
          max={90}
          defaultValue={policy.graceDays}
          errors={errors?.["graceDays"]}
        />
      </div>
      <SubmitButton pendingLabel="Saving…">Save rotation policy</SubmitButton>
    </StatefulForm>
  );
}
