"use client";
import Link from "next/link";
import { useActionState } from "react";
import { ScopesFields } from "@/components/keys/scopes-fields";
import { FormError, StatefulForm } from "@/components/action-form";
import { NewKeySecret } from "@/components/keys/new-key-secret";
import { Alert } from "@/components/ui/alert";
import { Field, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { createKeyAction } from "@/lib/actions/create-key";

type Member = { id: string; label: string; self: boolean };

/** The new-key form; after success, the key — shown this once — with a copy button and a test command. */
export function KeyForm({
  teamSlug,
  baseUrl,
  members,
  maxAccess,
  policyModels,
}: {
  teamSlug: string;
  baseUrl: string;
  members: Member[];
  maxAccess: "read" | "write";
  policyModels?: string[];
}) {
  const [state, action] = useActionState(createKeyAction, null);
  if (state?.ok) {
    const { key, name } = state.data;
    const curl = `curl ${baseUrl}/chat/completions \\\n  -H "Authorization: Bearer ${key}" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'`;
    return (
      <div className="space-y-4">
        <Alert tone="warning">
          Copy the key for {name} now. It is shown only this once; Keyward keeps only its hash.
        </Alert>
        <NewKeySecret value={key} />
        <div>
          <p className="text-sm font-medium text-slate-700">Test this key</p>
          <pre className="mt-1 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
            <code>{curl}</code>
          </pre>
        </div>
        <Link href={`/t/${teamSlug}/keys`} className="inline-block text-sm font-medium text-brand-700 hover:underline">
          Done — back to the keys
        </Link>
      </div>
    );
  }
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <StatefulForm state={state} action={action} className="space-y-6" noValidate>
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <FormError state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Key name"
          name="name"
          required
          maxLength={60}
          placeholder="Laptop — notebooks"
          errors={errors?.name}
        />
        {members.length > 0 ? (
          <Select label="Holder" name="holderUserId" defaultValue={members.find((m) => m.self)?.id}>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </Select>
        ) : null}
      </div>
      {policyModels?.length ? (
        <p className="text-xs text-slate-500">Team policy allows the models: {policyModels.join(", ")}.</p>
      ) : null}
      <ScopesFields
        mode="key"
        errors={errors}
        maxAccess={maxAccess}
        values={{ endpoints: { chat: maxAccess, models: "read" } }}
      />
      <SubmitButton pendingLabel="Creating…">Create key</SubmitButton>
    </StatefulForm>
  );
}
