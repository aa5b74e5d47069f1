"use client";
import Link from "next/link";
import { useActionState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Alert } from "@/components/ui/alert";
import { Checkbox, Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { updateTwoFactorPolicyAction } from "@/lib/actions/update-two-factor-policy";

export type PolicyView = { required: boolean; graceDays: number; keysKeepWorking: boolean; deadline: string | null };
export type AffectedMemberView = { userId: string; name: string; email: string; role: string };

/**
 * "2FA required": who it would shut out is listed before it is turned on, the owner's own account must have
 * 2FA first, and saving asks for step-up (the action's wrapper), like every dangerous change.
 */
export function TwoFactorPolicyForm({
  teamSlug,
  policy,
  affected,
  ownerHasTwoFactor,
}: {
  teamSlug: string;
  policy: PolicyView;
  affected: AffectedMemberView[];
  ownerHasTwoFactor: boolean;
}) {
  const [state, action] = useActionState(updateTwoFactorPolicyAction, null);
  return (
    <StatefulForm state={state} action={action} className="space-y-4" noValidate>
      <input type="hidden" name="teamSlug" value={teamSlug} />
      {state?.ok ? <Alert tone="success">Saved. The policy applies from the next request.</Alert> : null}
      <FormError state={state} />
      {!ownerHasTwoFactor && !policy.required ? (
        <Alert tone="warning">
          Turn on two-factor authentication for your own account first:{" "}
          <Link href="/account/security" className="font-medium underline">
            Security settings
          </Link>
          .
        </Alert>
      ) : null}
      {policy.required && policy.deadline ? (
        <p className="text-sm text-slate-600">
          Required since this policy was turned on; members without 2FA are shut out from {policy.deadline}.
        </p>
      ) : null}

      <label className="flex items-start gap-3 text-sm text-slate-800">
        <Checkbox name="required" defaultChecked={policy.required} className="mt-0.5 size-4 shrink-0 rounded" />
        <span>
          <span className="font-medium">Require two-factor authentication</span>
          <span className="block text-slate-600">
            Members without it are sent to set it up before they can open any page of this team.
          </span>
        </span>
      </label>

      <div className="max-w-xs">
        <Field
          label="Grace period (days)"
          name="graceDays"
          type="number"
          inputMode="numeric"
          min={0}
          max={90}
          defaultValue={policy.graceDays}
          hint="0–90. During it members are reminded but not shut out."
        />
      </div>

      <label className="flex items-start gap-3 text-sm text-slate-800">
        <Checkbox
          name="keysKeepWorking"
          defaultChecked={policy.keysKeepWorking}
          className="mt-0.5 size-4 shrink-0 rounded"
        />
        <span>
          <span className="font-medium">Let their API keys keep working</span>
          <span className="block text-slate-600">
            Off by default: after the grace period, the keys of members without 2FA are refused too, because a key is
            only as safe as the account that holds it.
          </span>
        </span>
      </label>

      <div className="rounded-md bg-slate-50 p-3 text-sm">
        {affected.length === 0 ? (
          <p className="text-slate-700">Every member has two-factor authentication: nobody would be affected.</p>
        ) : (
          <>
            <p className="font-medium text-slate-800">
              {affected.length} member{affected.length === 1 ? "" : "s"} without two-factor authentication would be
              affected:
            </p>
            <ul className="mt-2 space-y-1 text-slate-700">
              {affected.map((member) => (
                <li key={member.userId} className="[overflow-wrap:anywhere]">
                  {member.name}{" "}
                  <span className="text-slate-500">
                    ({member.email}, {member.role})
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>

      <SubmitButton pendingLabel="Saving…">Save 2FA policy</SubmitButton>
    </StatefulForm>
  );
}
