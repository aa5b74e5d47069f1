// What the proxy suites do as a team admin would: a management key for the seeded team (to revoke keys and
// remove members through the real API, answered by the web process), and member keys issued directly.
import { createSession } from "@/lib/auth/sessions";
import { createManagementKey } from "@/lib/keys/management";
import type { KeyScopes } from "@/lib/keys/scopes";
import { issueKey } from "@/lib/keys/store";
import { resolveTeamContext } from "@/lib/teams/context";
import type { seedProxyTeam } from "./seed-proxy";

type Seeded = Awaited<ReturnType<typeof seedProxyTeam>>;
const REQUEST = { ip: null, userAgent: "test" };

export async function managementKeyFor(seeded: Seeded): Promise<string> {
  const session = await createSession(seeded.user.id, REQUEST);
  const ctx = await resolveTeamContext(
    { sessionId: session.id, user: { ...seeded.user } },
    seeded.team.slug,
    "management_keys.write",
    REQUEST,
  );
  return (await createManagementKey(ctx, { name: "ops", scopes: ["api_keys.manage", "members.remove"] })).key;
}

export function issueFor(seeded: Seeded, userId: string, scopes: KeyScopes) {
  return issueKey(
    {
      teamId: seeded.team.id,
      holderId: userId,
      createdById: null,
      actor: { type: "system", label: "test" },
      request: REQUEST,
    },
    { name: "k", scopes },
  );
}
