// keyward keys create|list|revoke — member API keys from the shell (scripted onboarding and offboarding).
// The CLI acts on the team as "keyward CLI", through the same domain functions as the dashboard.
import { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { readJsonArg } from "@/lib/cli/json-arg";
import { parseOptions, teamScope, withRuntime } from "@/lib/cli/runtime";
import { formatTable } from "@/lib/cli/table";
import { formatDate } from "@/lib/format/date";
import { toPublicKey } from "@/lib/keys/public";
import { keyScopesSchema } from "@/lib/keys/scopes";
import { issueKey, listTeamKeys, memberIdByEmail, revokeApiKey, type KeyView } from "@/lib/keys/store";
import { keyNameSchema } from "@/lib/validations/keys";

const teamSlug = z.string().min(1).max(64);

const createSchema = z.object({ team: teamSlug, member: z.email(), scopes: z.string(), name: keyNameSchema });

/** Prints the key once, on stdout; everything else goes to stderr, so `$(keyward keys create …)` is the key. */
export async function create(raw: unknown): Promise<void> {
  const options = parseOptions(createSchema, raw);
  const scopes = keyScopesSchema.safeParse(readJsonArg("--scopes", options.scopes));
  if (!scopes.success) throw new AppError("unprocessable", "Invalid scopes", zodFieldErrors(scopes.error));
  const created = await withRuntime(async () => {
    const scope = await teamScope(options.team);
    const holderId = await memberIdByEmail(scope, options.member);
    return issueKey(
      { teamId: scope.team.id, holderId, createdById: null, actor: scope.actor, request: scope.request },
      { name: options.name, scopes: scopes.data },
    );
  });
  process.stderr.write(
    `Created ${created.name} (${created.prefix}…) for ${options.member}. This is the only time the key is shown:\n`,
  );
  process.stdout.write(`${created.key}\n`);
}

/** One line per key, columns aligned. Only the display prefix: the store never selects a key's hash. */
function table(keys: readonly KeyView[]): string {
  const header = ["ID", "PREFIX", "NAME", "HOLDER", "STATUS", "SCOPES", "CREATED", "LAST USED", "EXPIRES"];
  const rows = [
    header,
    ...keys.map((key) => [
      key.id,
      `${key.prefix}…`,
      key.name,
      key.user?.email ?? "(no holder)",
      key.revokedAt ? `revoked ${formatDate(key.revokedAt)}` : key.status,
      key.summary,
      formatDate(key.createdAt),
      formatDate(key.lastUsedAt),
      formatDate(key.expiresAt),
    ]),
  ];
  return formatTable(rows);
}

const listSchema = z.object({ team: teamSlug, json: z.boolean().default(false) });

/** Every member key of the team, revoked ones too. --json prints the REST API's shape (`publicKeySchema`). */
export async function list(raw: unknown): Promise<void> {
  const options = parseOptions(listSchema, raw);
  const keys = await withRuntime(async () => listTeamKeys(await teamScope(options.team)));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(keys.map(toPublicKey), null, 2)}\n`);
  } else if (keys.length === 0) {
    process.stdout.write(`${options.team} has no member keys.\n`);
  } else {
    process.stdout.write(`${table(keys)}\n`);
  }
}

const revokeSchema = z.object({ team: teamSlug, id: z.uuid("Not a valid key id.") });

/**
 * Revokes a member key through revokeApiKey, the dashboard's own path: the audit row and the NOTIFY that
 * drops the key from every proxy's cache are written in the revoking transaction. The id must belong to the
 * named team: another team's key, like an unknown or already revoked one, is "not found".
 */
export async function revoke(raw: unknown): Promise<void> {
  const options = parseOptions(revokeSchema, raw);
  await withRuntime(async () => {
    const scope = await teamScope(options.team);
    try {
      await revokeApiKey(scope, { id: options.id, kind: "live" }, () => ({ reason: "revoked by an operator" }));
    } catch (error) {
      if (!(error instanceof AppError && error.code === "not_found")) throw error;
      throw new AppError("not_found", `No unrevoked member key with the id ${options.id} in ${options.team}.`);
    }
  });
  process.stdout.write(`Revoked key ${options.id} in ${options.team}.\n`);
}
