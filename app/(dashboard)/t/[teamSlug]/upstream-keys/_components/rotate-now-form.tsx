"use client";
import { ActionForm } from "@/components/action-form";
import { Button } from "@/components/ui/button";
import { rotateUpstreamKeyNowAction } from "@/lib/actions/openai-admin-key";

/** "Rotate now": a new service-account key takes the traffic; the old one retires after the overlap. */
export function RotateNowForm({ teamSlug, keyId, name }: { teamSlug: string; keyId: string; name: string }) {
  return (
    <ActionForm
      action={rotateUpstreamKeyNowAction}
      hidden={{ teamSlug, keyId }}
      confirm={`Rotate ${name} now? Keyward creates a new service-account key, moves traffic to it and deletes the old one after 24 hours.`}
      success={(result) =>
        `Rotated. The old key retires on ${result.data.retiresAt.slice(0, 16).replace("T", " ")} UTC.`
      }
    >
      <Button type="submit" variant="secondary" size="sm" aria-label={`Rotate now: ${name}`}>
        Rotate now
      </Button>
    </ActionForm>
  );
}
