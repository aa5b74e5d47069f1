// keyward — the operator CLI. The command tree (program.ts) imports only commander; a command's own code is
// loaded when it runs. Every command parses its options with zod and has --help.
import { buildProgram } from "@/lib/cli/program";

// The CLI talks to people on stderr/stdout; JSON logs below warnings would only be noise here.
process.env.LOG_LEVEL ||= "warn";

/** Loaded on failure only: the error classes bring zod and the logger, which --help does without. */
async function report(error: unknown): Promise<void> {
  const [{ AppError }, { EnvError }] = await Promise.all([import("@/lib/api/errors"), import("@/lib/env")]);
  const say = (message: string) => process.stderr.write(`${message}\n`);
  if (error instanceof EnvError) {
    say(error.message);
  } else if (error instanceof AppError) {
    say(`Error: ${error.message}`);
    for (const [field, messages] of Object.entries(error.fieldErrors ?? {})) say(`  ${field}: ${messages.join(" ")}`);
  } else {
    say(`Error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  await report(error);
  process.exitCode = 1;
}
