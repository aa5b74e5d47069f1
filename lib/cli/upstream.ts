// keyward upstream add|list — manage a team's OpenAI keys from the shell. The key is read from stdin, never
// from an argument (shell history, `ps`).
import type { Command } from "commander";
import { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { readSecret } from "@/lib/cli/stdin";
import { withRuntime } from "@/lib/cli/runtime";
import { formatDate } from "@/lib/format";
import { operatorTeamScope } from "@/lib/teams/teams";
import { addUpstreamKey, listUpstreamKeys } from "@/lib/upstream/keys";
import { upstreamKeyFieldsSchema } from "@/lib/validations/upstream";

async function scopeOf(slug: string) {
  const scope = await operatorTeamScope(slug);
  if (!scope) throw new AppError("not_found", `No team with the slug "${slug}".`);
  return scope;
}

export function registerUpstream(program: Command): void {
  const upstream = program
    .command("upstream")
    .description("Manage a team's OpenAI keys (stored encrypted, never shown again).");

  upstream
    .command("add")
    .description("Add an OpenAI key to a team. The key is read from stdin (piped, or typed without echo).")
    .requiredOption("--team <slug>", "the team's slug")
    .requiredOption("--name <name>", "a name for the key")
    .option("--org <id>", "OpenAI organization id (org-…)")
    .option("--project <id>", "OpenAI project id (proj_…)")
    .option("--weight <n>", "share of calls among the team's keys (1-100)", "1")
    .option("--skip-check", "save without checking the key against the upstream")
    .action(async (raw: unknown) => {
      const options = z
        .object({
          team: z.string(),
          name: z.string(),
          org: z.string().optional(),
          project: z.string().optional(),
          weight: z.string(),
          skipCheck: z.boolean().optional(),
        })
        .parse(raw);
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
      const created = await withRuntime(async () => addUpstreamKey(await scopeOf(options.team), input.data));
      process.stdout.write(
        `Added ${created.name} (${created.masked}) to ${options.team}${created.verified ? ", checked against the upstream" : ", not checked"}.\n`,
      );
    });

  upstream
    .command("list")
    .description("List a team's OpenAI keys, masked.")
    .requiredOption("--team <slug>", "the team's slug")
    .action(async (raw: unknown) => {
      const { team } = z.object({ team: z.string() }).parse(raw);
      const keys = await withRuntime(async () => listUpstreamKeys(await scopeOf(team)));
      if (keys.length === 0) process.stdout.write(`${team} has no OpenAI key yet.\n`);
      for (const key of keys) {
        process.stdout.write(
          `${key.masked}  ${key.name}  ${key.enabled ? "enabled" : "disabled"}  weight ${key.weight}  added ${formatDate(key.createdAt)}  last used ${formatDate(key.lastUsedAt)}\n`,
        );
      }
    });
}
