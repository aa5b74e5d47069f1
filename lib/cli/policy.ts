// keyward policy get|set — the team's key policy from the shell, through the dashboard's own functions:
// setting it is audited and reaches every running server's key cache, so wider keys are narrowed at once.
import { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { readJsonArg } from "@/lib/cli/json-arg";
import { parseOptions, teamScope, withRuntime } from "@/lib/cli/runtime";
import { teamKeyPolicySchema } from "@/lib/keys/policy";
import { readTeamKeyPolicy, updateTeamKeyPolicy } from "@/lib/keys/team-policy";

const teamSlug = z.string().min(1).max(64);

/** Prints the policy as JSON: the document `policy set --policy` and PUT /api/teams/{slug}/policy take. */
export async function get(raw: unknown): Promise<void> {
  const { team } = parseOptions(z.object({ team: teamSlug }), raw);
  const policy = await withRuntime(async () => readTeamKeyPolicy(await teamScope(team)));
  process.stdout.write(`${JSON.stringify(teamKeyPolicySchema.parse(policy), null, 2)}\n`);
}

const setSchema = z.object({ team: teamSlug, policy: z.string().min(1) });

export async function set(raw: unknown): Promise<void> {
  const options = parseOptions(setSchema, raw);
  const policy = teamKeyPolicySchema.safeParse(readJsonArg("--policy", options.policy));
  if (!policy.success) throw new AppError("unprocessable", "Invalid policy", zodFieldErrors(policy.error));
  await withRuntime(async () => updateTeamKeyPolicy(await teamScope(options.team), policy.data));
  process.stdout.write(
    `Set the key policy of ${options.team}. Keys wider than it are narrowed from their next request.\n`,
  );
}
