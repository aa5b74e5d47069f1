"use client";
import { ActionForm } from "@/components/action-form";
import { Button } from "@/components/ui/button";
import { recheckUpstreamKeyAction } from "@/lib/actions/recheck-upstream-key";

const RESULT = { valid: "Works.", rejected: "Rejected by OpenAI.", unreachable: "OpenAI unreachable." } as const;

/** Client-side so it can word the result; functions cannot cross from a server component. */
export function CheckKeyForm({ teamSlug, keyId, name }: { teamSlug: string; keyId: string; name: string }) {
  return (
    <ActionForm
      action={recheckUpstreamKeyAction}
      hidden={{ teamSlug, keyId }}
      success={(result) => RESULT[result.data.status]}
    >
      <Button type="submit" variant="secondary" size="sm" aria-label={`Check ${name}`}>
        Check
      </Button>
    </ActionForm>
  );
}
