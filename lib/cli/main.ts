// keyward — the operator CLI. Every command parses its options with zod and has --help.
import { Command } from "commander";
import { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { signUp } from "@/lib/auth/accounts";
import { EnvError } from "@/lib/env";
import { readSecret } from "@/lib/cli/stdin";
import { say, withRuntime } from "@/lib/cli/runtime";
import { registerKeys } from "@/lib/cli/keys";
import { registerUpstream } from "@/lib/cli/upstream";
import { registerMigrateKeys } from "@/lib/cli/migrate-keys";
import { signUpSchema } from "@/lib/validations/auth";

// The CLI talks to people on stderr/stdout; JSON logs below warnings would only be noise here.
process.env.LOG_LEVEL ||= "warn";

const program = new Command()
  .name("keyward")
  .description("Operate a Keyward installation. Uses DATABASE_URL, or the embedded database under DATA_DIR.")
  .showHelpAfterError();

program
  .command("bootstrap")
  .description(
    "Create the first owner account and team. The password is read from stdin (piped, or typed without echo).",
  )
  .requiredOption("--email <email>", "the owner's e-mail address")
  .requiredOption("--team <name>", "the team's name")
  .option("--name <name>", "the owner's display name (default: the part of the e-mail before @)")
  .action(async (raw: unknown) => {
    const options = z.object({ email: z.string(), team: z.string(), name: z.string().optional() }).parse(raw);
    const password = await readSecret("Password for the new owner: ");
    const input = signUpSchema.safeParse({
      email: options.email,
      name: options.name ?? options.email.split("@")[0],
      teamName: options.team,
      password,
    });
    if (!input.success) {
      throw new AppError("unprocessable", "Invalid input", zodFieldErrors(input.error));
    }
    const { user, team } = await withRuntime(() => signUp(input.data, { ip: null, userAgent: "keyward-cli" }));
    process.stdout.write(`Created ${user.email} as owner of "${team.name}" (/t/${team.slug}).\n`);
  });

program
  .command("migrate")
  .description("Apply pending database migrations (the server also does this at start-up).")
  .action(async () => {
    await withRuntime(async () => undefined);
    process.stdout.write("Database is up to date.\n");
  });

registerUpstream(program);
registerKeys(program);
registerMigrateKeys(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof EnvError) {
    say(error.message);
  } else if (error instanceof AppError) {
    say(`Error: ${error.message}`);
    for (const [field, messages] of Object.entries(error.fieldErrors ?? {})) say(`  ${field}: ${messages.join(" ")}`);
  } else {
    say(`Error: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode = 1;
}
