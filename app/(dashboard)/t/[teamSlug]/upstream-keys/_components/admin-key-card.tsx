"use client";
// Automatic rotation: the OpenAI Admin key Keyward rotates the team's OpenAI keys with. Shown masked once
// stored; the key itself never comes back to the browser.
import { useActionState } from "react";
import { ActionForm, FormError, StatefulForm } from "@/components/action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox, Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { removeOpenAIAdminKeyAction, setOpenAIAdminKeyAction } from "@/lib/actions/openai-admin-key";

export type StoredAdminKey = { keyHint: string; projectId: string; autoRotate: boolean } | null;

export function AdminKeyCard({
  teamSlug,
  stored,
  maxAgeDays,
}: {
  teamSlug: string;
  stored: StoredAdminKey;
  maxAgeDays: number;
}) {
  const [state, action] = useActionState(setOpenAIAdminKeyAction, null);
  return (
    <div className="space-y-4">
      {stored ? (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-slate-200 p-3 text-sm">
          <p>
            Admin key <span className="font-mono">{stored.keyHint}</span> for project{" "}
            <span className="font-mono">{stored.projectId}</span>:{" "}
            {stored.autoRotate
              ? `OpenAI keys are rotated automatically at ${maxAgeDays} days.`
              : "automatic rotation is off; use Rotate now on a key."}
          </p>
          <ActionForm
            action={removeOpenAIAdminKeyAction}
            hidden={{ teamSlug }}
            confirm="Remove the OpenAI Admin key? Keys are then no longer rotated automatically."
          >
            <Button type="submit" variant="secondary" size="sm">
              Remove Admin key
            </Button>
          </ActionForm>
        </div>
      ) : null}
      <StatefulForm state={state} action={action} className="space-y-4" noValidate autoComplete="off">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        {state?.ok ? (
          <Alert tone="success">
            Saved {state.data.keyHint} for {state.data.projectId}. OpenAI accepted it.
          </Alert>
        ) : null}
        <FormError state={state} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="admin-key-adminKey"
            label="OpenAI Admin key"
            name="adminKey"
            type="password"
            required
            placeholder="sk-admin-…"
            spellCheck={false}
            hint="Used only to rotate keys. Shown never again after saving."
          />
          <Field
            id="admin-key-projectId"
            label="Project for rotated keys"
            name="projectId"
            required
            placeholder="proj_…"
            hint="Where new service accounts are made."
          />
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <Checkbox name="autoRotate" defaultChecked />
          Rotate the team&apos;s OpenAI keys automatically when they reach the policy&apos;s age
        </label>
        <SubmitButton pendingLabel="Checking…">{stored ? "Replace Admin key" : "Save Admin key"}</SubmitButton>
      </StatefulForm>
    </div>
  );
}
