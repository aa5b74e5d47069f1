// keyward management-keys create — a team management key (kw_mgmt_…) for the REST API, from the shell.
// Held by the member it names (removing them revokes it); its scopes may not exceed that member's role.
import { z } from "zod";
import { parseOptions, teamScope, withRuntime } from "@/lib/cli/runtime";
import { issueManagementKey, managementScopesSchema } from "@/lib/keys/management";
import { memberIdByEmail } from "@/lib/keys/store";
import { keyNameSchema } from "@/lib/validations/keys";

const list = (value: string) =>
  value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

const createSchema = z.object({
  team: z.string().min(1).max(64),
  member: z.email(),
  scopes: z.string().transform(list).pipe(managementScopesSchema),
  name: keyNameSchema,
});

/** Prints the key once, on stdout; everything else goes to stderr, so `$(keyward management-keys create …)` is the key. */
export async function create(raw: unknown): Promise<void> {
  const options = parseOptions(createSchema, raw);
  const created = await withRuntime(async () => {
    const scope = await teamScope(options.team);
    const holderId = await memberIdByEmail(scope, options.member);
    return issueManagementKey(
      { teamId: scope.team.id, holderId, createdById: null, actor: scope.actor, request: scope.request },
      { name: options.name, scopes: options.scopes },
    );
  });
  process.stderr.write(
    `Created management key ${created.name} (${created.prefix}…) held by ${options.member}, scopes ${options.scopes.join(", ")}. This is the only time the key is shown:\n`,
  );
  process.stdout.write(`${created.key}\n`);
}
