// What of the team's rotation a member may see, for the team home and the keys pages: OpenAI keys only with
// upstream_keys.read, management keys with management_keys.write, every member key with api_keys.manage —
// and otherwise only the keys the member holds. The one place that decides it, from the permission map.
import type { TeamContext } from "@/lib/teams/context";
import { rotationItems, type RotationItem } from "./due";

export async function visibleRotationItems(
  ctx: Pick<TeamContext, "team" | "user" | "permissions">,
  now: Date,
): Promise<RotationItem[]> {
  if (ctx.permissions.has("api_keys.manage")) {
    const { items } = await rotationItems(ctx.team.id, now, {
      withUpstream: ctx.permissions.has("upstream_keys.read"),
      withManagement: ctx.permissions.has("management_keys.write"),
    });
    return items;
  }
  // A member who may hold keys sees their own member keys; anyone else (an auditor) holds none.
  if (!ctx.permissions.has("api_keys.own")) return [];
  const { items } = await rotationItems(ctx.team.id, now, { holderId: ctx.user.id, withManagement: false });
  return items;
}

/** Where each item is managed in the dashboard. */
export function rotationItemHref(teamSlug: string, item: Pick<RotationItem, "kind" | "id">): string {
  if (item.kind === "member") return `/t/${teamSlug}/keys/${item.id}`;
  if (item.kind === "management") return `/t/${teamSlug}/keys/settings`;
  return `/t/${teamSlug}/upstream-keys`;
}
