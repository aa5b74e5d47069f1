// The invite being accepted survives a detour through sign-in or sign-up in sessionStorage (this tab only),
// never in a URL.
import { useSyncExternalStore } from "react";

export const PENDING_INVITE_KEY = "keyward.pendingInvite";
export type PendingInvite = { token: string; email: string };

const noSubscription = () => () => undefined;

function parse(raw: string | null): PendingInvite | null {
  try {
    return raw ? (JSON.parse(raw) as PendingInvite) : null;
  } catch {
    return null;
  }
}

/** The stored raw value (a string, so React can compare snapshots); null on the server. */
function useStoredInvite(): string | null {
  return useSyncExternalStore(
    noSubscription,
    () => sessionStorage.getItem(PENDING_INVITE_KEY),
    () => null,
  );
}

export function usePendingInviteEmail(): string {
  return parse(useStoredInvite())?.email ?? "";
}

/** The token of the invitation this tab came from ("" if none): sign-up sends it to join that team. */
export function usePendingInviteToken(): string {
  return parse(useStoredInvite())?.token ?? "";
}

/** The invite token from the URL fragment, else from storage; undefined while rendering on the server. */
export function useInviteToken(): string | null | undefined {
  const stored = useStoredInvite();
  const hash = useSyncExternalStore(
    noSubscription,
    () => window.location.hash.slice(1),
    () => undefined,
  );
  if (hash === undefined) return undefined;
  return hash || parse(stored)?.token || null;
}
