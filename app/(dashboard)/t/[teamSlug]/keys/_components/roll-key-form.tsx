"use client";
// Rolling a key: choose how long the old key keeps working; after success the new key, shown this once, and
// when the old one stops. Mounted for every active key, rolled or not, so the page's refresh after the roll
// (the key is now in its overlap) keeps the result on screen; a reload shows only the note.
import Link from "next/link";
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { NewKeySecret } from "@/components/keys/new-key-secret";
import { Alert } from "@/components/ui/alert";
import { Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { rollKeyAction } from "@/lib/actions/roll-key";
import { formatDateTime } from "@/lib/format/date";

/** Hours, as rollKey takes them; the server checks the bounds (lib/rotation/roll.ts). */
const OVERLAPS = [
  { hours: 1, label: "1 hour" },
  { hours: 6, label: "6 hours" },
  { hours: 24, label: "24 hours" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "7 days" },
] as const;

export function RollKeyForm({
  teamSlug,
  keyId,
  name,
  rolled,
}: {
  teamSlug: string;
  keyId: string;
  name: string;
  /** Set when this key was rolled already: when it stops, and its successor's page. */
  rolled: { stopsAt: string; successorId: string | null } | null;
}) {
  const [state, action] = useActionState(rollKeyAction, null);
  if (state?.ok) {
    const { key, id, oldKeyStopsAt } = state.data;
    return (
      <div className="space-y-4">
        <Alert tone="warning">
          Copy the new key for {name} now. It is shown only this once; Keyward keeps only its hash.
        </Alert>
        <NewKeySecret value={key} />
        <Alert tone="info">The old key keeps working until {formatDateTime(new Date(oldKeyStopsAt))}.</Alert>
        <Link
          href={`/t/${teamSlug}/keys/${id}`}
          className="inline-block text-sm font-medium text-brand-700 hover:underline"
        >
          Done — open the new key
        </Link>
      </div>
    );
  }
  if (rolled) {
    return (
      <p className="text-sm text-slate-600">
        Rolled — this key stops at {formatDateTime(new Date(rolled.stopsAt))}.{" "}
        {rolled.successorId ? (
          <Link href={`/t/${teamSlug}/keys/${rolled.successorId}`} className="text-brand-700 hover:underline">
            Open its successor
          </Link>
        ) : null}
      </p>
    );
  }
  return (
    <StatefulForm state={state} action={action} className="space-y-4" noValidate>
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="keyId" value={keyId} />
      <FormError state={state} />
      <div className="max-w-xs">
        <Select label="The old key keeps working for" name="overlapHours" defaultValue="24">
          {OVERLAPS.map((overlap) => (
            <option key={overlap.hours} value={String(overlap.hours)}>
              {overlap.label}
            </option>
          ))}
        </Select>
      </div>
      <SubmitButton pendingLabel="Rolling…">Roll key</SubmitButton>
    </StatefulForm>
  );
}
