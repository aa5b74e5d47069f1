// keyward keys create — issue a member key from the shell (scripted onboarding). Prints the key once.
import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { withRuntime } from "@/lib/cli/runtime";
import { issueKey, memberIdByEmail } from "@/lib/keys/store";
import { keyScopesSchema } from "@/lib/keys/scopes";
import { operatorTeamScope } from "@/lib/teams/teams";
import { keyNameSchema } from "@/lib/validations/keys";

/** --scopes is a JSON document or the path of a file holding one. */
function readScopes(value: string): unknown {
  const text = existsSync(value) ? readFileSync(value, "utf8") : value;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("unprocessable", "--scopes must be JSON or the path of a JSON file.");
  }
}

export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("Manage member API keys.");
  keys
    .command("create")
    .description(
      "Issue a key for a team member. The key is printed once, on stdout; scopes are capped by the team policy and the member's role.",
    )
    .requiredOption("--team <slug>", "the team's slug")
    .requiredOption("--member <email>", "the member who will hold the key")
    .requiredOption(
      "--scopes <file|json>",
      'scopes as JSON, e.g. {"endpoints":{"chat":"write"},"models":["gpt-4o-mini"]}',
    )
    .option("--name <name>", "a name for the key", "CLI key")
    .action(async (raw: unknown) => {
      const options = z
        .object({ team: z.string(), member: z.email(), scopes: z.string(), name: keyNameSchema })
        .parse(raw);
      const scopes = keyScopesSchema.safeParse(readScopes(options.scopes));
      if (!scopes.success) throw new AppError("unprocessable", "Invalid scopes", zodFieldErrors(scopes.error));
      const created = await withRuntime(async () => {
        const scope = await operatorTeamScope(options.team);
        if (!scope) throw new AppError("not_found", `No team with the slug "${options.team}".`);
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
    });
}
