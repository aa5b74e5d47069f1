// keyward bootstrap — the first owner account and team, for a fresh installation.
import { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { signUp } from "@/lib/auth/accounts";
import { readSecret } from "@/lib/cli/stdin";
import { parseOptions, withRuntime } from "@/lib/cli/runtime";
import { signUpSchema } from "@/lib/validations/auth";

const optionsSchema = z.object({ email: z.string(), team: z.string(), name: z.string().optional() });

export async function bootstrap(raw: unknown): Promise<void> {
  const options = parseOptions(optionsSchema, raw);
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
}
