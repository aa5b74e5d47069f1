"use client";
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Alert } from "@/components/ui/alert";
import { Checkbox, Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { addUpstreamKeyAction } from "@/lib/actions/add-upstream-key";

export function AddKeyForm({ teamSlug }: { teamSlug: string }) {
  const [state, action] = useActionState(addUpstreamKeyAction, null);
  return (
    // StatefulForm keeps what was typed (but the key) after a refusal, and asks for step-up when needed.
    <StatefulForm state={state} action={action} className="space-y-4" noValidate autoComplete="off">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      {state?.ok ? (
        <Alert tone={state.data.verified ? "success" : "warning"}>
          Saved {state.data.name} ({state.data.masked}).
          {state.data.verified
            ? " OpenAI accepted it."
            : " It was not checked against OpenAI; use Check once it can be reached."}
        </Alert>
      ) : null}
      <FormError state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" name="name" required maxLength={60} placeholder="Production" />
        <Field
          label="OpenAI API key"
          name="key"
          type="password"
          required
          placeholder="sk-…"
          spellCheck={false}

          hint="Shown never again after saving."
        />
        <Field label="Organization id (optional)" name="organizationId" placeholder="org-…" />
        <Field label="Project id (optional)" name="projectId" placeholder="proj_…" />
        <Field
          label="Weight"
          name="weight"
          type="number"
          min={1}
          max={100}
          defaultValue={1}

          hint="Share of calls when there are several keys (1–100)."
        />
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <Checkbox name="skipCheck" />
        Save without checking it against OpenAI
      </label>
      <SubmitButton pendingLabel="Checking…">Check and save</SubmitButton>
    </StatefulForm>
  );
}
