"use client";
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Alert } from "@/components/ui/alert";
import { Checkbox, Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { createManagementKeyAction } from "@/lib/actions/create-management-key";
import type { ManagementScope } from "@/lib/keys/management";

// Every grant a management key can have (lib/keys/management.ts): a Record, so a new grant fails to compile
// until it is offered here too.
const SCOPE_LABELS: Record<ManagementScope, string> = {
  "members.read": "Read members",
  "members.invite": "Invite members",
  "members.update_role": "Change members' roles",
  "members.remove": "Remove members",
  "api_keys.manage": "Manage every member key",
  "api_keys.policy": "Set the key policy",
  "audit.read": "Read and export the audit log",
};
const SCOPES = Object.entries(SCOPE_LABELS).map(([id, label]) => ({ id, label }));

export function ManagementKeyForm({ teamSlug }: { teamSlug: string }) {
  const [state, action] = useActionState(createManagementKeyAction, null);
  return (
    <StatefulForm state={state} action={action} className="space-y-3 rounded-lg bg-slate-50 p-4" noValidate>
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <p className="text-sm font-medium">New management key</p>
      {state?.ok ? (
        <Alert tone="warning">
          Copy it now — shown only once: <code className="font-mono break-all">{state.data.key}</code>
        </Alert>
      ) : null}
      <FormError state={state} />
      <Field label="Name" name="name" required maxLength={60} placeholder="Provisioning script" />
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="sr-only">Scopes</legend>
        {SCOPES.map((scope) => (
          <label key={scope.id} className="flex items-center gap-2">
            <Checkbox name={`scope.${scope.id}`} />
            {scope.label}
          </label>
        ))}
      </fieldset>
      <SubmitButton variant="secondary" pendingLabel="Creating…">
        Create management key
      </SubmitButton>
    </StatefulForm>
  );
}
