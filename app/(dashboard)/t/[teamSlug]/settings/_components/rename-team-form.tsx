"use client";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { renameTeamAction } from "@/lib/actions/rename-team";

/** Name and address, kept as typed when the server refuses them (the inputs are controlled). */
export function RenameTeamForm({ team, origin }: { team: { name: string; slug: string }; origin: string }) {
  const [state, action] = useActionState(renameTeamAction, null);
  const [name, setName] = useState(team.name);
  const [slug, setSlug] = useState(team.slug);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="teamSlug" value={team.slug} />
      {state && !state.ok ? (
        <Alert tone="error">{errors ? "Check the fields below: nothing was changed." : state.error}</Alert>
      ) : null}
      <Field
        label="Team name"
        name="name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        required
        maxLength={60}
        errors={errors?.name}
      />
      <Field
        label="Address"
        name="slug"
        value={slug}
        onChange={(event) => setSlug(event.target.value)}
        required
        maxLength={40}
        autoComplete="off"
        spellCheck={false}
        errors={errors?.slug}
        hint={
          <>
            {origin}/t/<strong className="break-all">{slug || "…"}</strong>. Changing it breaks bookmarks and API
            scripts that use the old address: it answers 404 at once, and another team may take it.
          </>
        }
      />
      <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
    </form>
  );
}
