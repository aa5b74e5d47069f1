// Sign-in records in words a person understands, for the Security page. The internal reason stays internal:
// "wrong password" is what the account's owner may see, not why a throttle fired.
import type { SignInEventKind } from "@/lib/generated/prisma/enums";
import type { SignInEventView } from "@/lib/auth/sign-in-events";

export type EventTone = "green" | "amber" | "slate" | "brand";

const LABELS: Record<SignInEventKind, { label: string; tone: EventTone }> = {
  success: { label: "Signed in", tone: "green" },
  second_factor_required: { label: "Password accepted, code asked for", tone: "slate" },
  wrong_password: { label: "Wrong password", tone: "amber" },
  unknown_account: { label: "Unknown account", tone: "amber" },
  wrong_code: { label: "Wrong code", tone: "amber" },
  recovery_code_used: { label: "Recovery code used", tone: "brand" },
  throttled: { label: "Refused: too many attempts", tone: "amber" },
  locked_out: { label: "Refused: account locked", tone: "amber" },
  unlocked: { label: "Account unlocked", tone: "brand" },
  totp_enabled: { label: "Two-factor authentication turned on", tone: "brand" },
  totp_disabled: { label: "Two-factor authentication turned off", tone: "amber" },
  recovery_codes_regenerated: { label: "New recovery codes generated", tone: "brand" },
  session_ended: { label: "Session ended", tone: "slate" },
  two_factor_reset: { label: "Two-factor authentication reset by an operator", tone: "amber" },
};

function metadataField(metadata: SignInEventView["metadata"], name: string): unknown {
  return metadata && typeof metadata === "object" && !Array.isArray(metadata) ? metadata[name] : undefined;
}

/** "Signed in with an authenticator code", "Recovery code used (9 left)", "Wrong password". */
export function describeSignInEvent(event: Pick<SignInEventView, "kind" | "metadata">): {
  label: string;
  tone: EventTone;
} {
  const { label, tone } = LABELS[event.kind];
  if (event.kind === "success") {
    const factor = metadataField(event.metadata, "secondFactor");
    if (factor === "totp") return { label: "Signed in with an authenticator code", tone };
    if (factor === "recovery_code") return { label: "Signed in with a recovery code", tone };
  }
  if (event.kind === "recovery_code_used") {
    const remaining = metadataField(event.metadata, "remaining");
    if (typeof remaining === "number") return { label: `${label} (${remaining} left)`, tone };
  }
  return { label, tone };
}
