// keyward bootstrap — the first owner account and team, for a fresh installation.
import { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { signUp } from "@/lib/auth/accounts";
import { db } from "@/lib/db/client";
import { readSecret } from "@/lib/cli/stdin";
import { parseOptions, withRuntime } from "@/lib/cli/runtime";
import { signUpSchema } from "@/lib/validations/auth";

const optionsSchema = z.object({
  email: z.string(),
  team: z.string(),
  name: z.string().optional(),
  additional: z.boolean().default(false),
});

/** Refuses on an installation that already has accounts, unless the operator said --additional. */
async function assertFirstAccount(additional: boolean): Promise<void> {
  if (additional) return;
  const users = await db().user.count();
  if (users > 0) {
    throw new AppError(
      "conflict",
      `This installation already has ${users} account${users === 1 ? "" : "s"}: bootstrap is for the first one. ` +
        "People sign up on the web, or are invited to a team. To create another owner and team here anyway, " +
        "run it again with --additional.",
    );
  }
}

export async function bootstrap(raw: unknown): Promise<void> {
  const options = parseOptions(optionsSchema, raw);
  const { user, team } = await withRuntime(async () => {
    // Before the password is asked for: an operator is not made to type one for nothing.
    await assertFirstAccount(options.additional);
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
    return signUp(input.data, { ip: null, userAgent: "keyward-cli" });
  });
  process.stdout.write(`Created ${user.email} as owner of "${team.name}" (/t/${team.slug}).\n`);
}
