"use client";
import { useActionState, useState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { inviteMemberAction } from "@/lib/actions/invite-member";
import { canManage, ROLE_LABELS, ROLES, type Role } from "@/lib/auth/permissions";

export function InviteForm({ teamSlug, actorRole }: { teamSlug: string; actorRole: Role }) {
  const [state, action] = useActionState(inviteMemberAction, null);
  const [copied, setCopied] = useState(false);
  const roles = ROLES.filter((role) => canManage(actorRole, role, role));
  return (
    <div className="space-y-4">
      <StatefulForm
        state={state}
        action={action}
        className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end"
        noValidate
      >
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <Field label="E-mail address" name="email" type="email" required placeholder="teammate@company.com" />
        <Select label="Role" name="role" defaultValue="member">
          {roles.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </Select>
        <SubmitButton pendingLabel="Sending…">Send invitation</SubmitButton>
      </StatefulForm>
      <FormError state={state} />
      {state?.ok ? (
        state.data.link ? (
          <Alert tone="warning">
            <p>No mail server is configured, so copy this link to {state.data.email} yourself. It is shown only now.</p>
            <div className="mt-2 flex gap-2">
              <input
                readOnly
                aria-label="Invitation link"
                value={state.data.link}
                className="min-w-0 flex-1 rounded border border-amber-300 bg-white px-2 py-1 font-mono text-xs"
              />
              <Button
                size="sm"
                variant="secondary"
                onClick={() => void navigator.clipboard.writeText(state.data.link ?? "").then(() => setCopied(true))}
              >
                {copied ? "Copied" : "Copy link"}
              </Button>
            </div>
          </Alert>
        ) : (
          <Alert tone="success">Invitation sent to {state.data.email}.</Alert>
        )
      ) : null}
    </div>
  );
}
