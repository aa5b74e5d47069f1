// keyward upstream add|list — manage a team's OpenAI keys from the shell. The key is read from stdin, never
// from an argument (shell history, `ps`).
import { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { readSecret } from "@/lib/cli/stdin";
import { parseOptions, teamScope, withRuntime } from "@/lib/cli/runtime";
import { formatDate } from "@/lib/format/date";
import { addUpstreamKey, listUpstreamKeys } from "@/lib/upstream/keys";
import { upstreamKeyFieldsSchema } from "@/lib/validations/upstream";

const addSchema = z.object({
  team: z.string(),
  name: z.string(),
  org: z.string().optional(),
  project: z.string().optional(),
  weight: z.string(),
  skipCheck: z.boolean().optional(),
});

export async function add(raw: unknown): Promise<void> {
  const options = parseOptions(addSchema, raw);
  const key = await readSecret("OpenAI API key: ");
  const input = upstreamKeyFieldsSchema.safeParse({
    name: options.name,
    key,
    organizationId: options.org,
    projectId: options.project,
    weight: options.weight,
    skipCheck: options.skipCheck ?? false,
  });
  if (!input.success) throw new AppError("unprocessable", "Invalid input", zodFieldErrors(input.error));
  const created = await withRuntime(async () => addUpstreamKey(await teamScope(options.team), input.data));
  process.stdout.write(
    `Added ${created.name} (${created.masked}) to ${options.team}${created.verified ? ", checked against the upstream" : ", not checked"}.\n`,
  );
}

export async function list(raw: unknown): Promise<void> {
  const { team } = parseOptions(z.object({ team: z.string() }), raw);
  const keys = await withRuntime(async () => listUpstreamKeys(await teamScope(team)));
  if (keys.length === 0) process.stdout.write(`${team} has no OpenAI key yet.\n`);
  for (const key of keys) {
    process.stdout.write(
      `${key.masked}  ${key.name}  ${key.enabled ? "enabled" : "disabled"}  weight ${key.weight}  added ${formatDate(key.createdAt)}  last used ${formatDate(key.lastUsedAt)}\n`,
    );
  }
}
