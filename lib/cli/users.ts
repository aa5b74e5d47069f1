// keyward users list|unlock|reset-2fa — accounts from the shell, for an operator helping a locked-out user.
import { z } from "zod";
import { listAccounts, resetTwoFactor as reset, unlockAccount } from "@/lib/auth/operator";
import { parseOptions, withRuntime } from "@/lib/cli/runtime";
import { formatTable } from "@/lib/cli/table";
import { formatDate } from "@/lib/format/date";

const emailOption = z.object({ email: z.email("must be an e-mail address").toLowerCase() });

export async function list(raw: unknown): Promise<void> {
  const options = parseOptions(z.object({ json: z.boolean().default(false) }), raw);
  const accounts = await withRuntime(listAccounts);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(accounts, null, 2)}\n`);
    return;
  }
  const rows = [
    ["EMAIL", "NAME", "2FA", "LOCKED", "CREATED"],
    ...accounts.map((a) => [
      a.email,
      a.name,
      a.twoFactor ? "on" : "off",
      a.locked ? "locked" : "-",
      formatDate(a.createdAt),
    ]),
  ];
  process.stdout.write(`${formatTable(rows)}\n`);
}

export async function unlock(raw: unknown): Promise<void> {
  const { email } = parseOptions(emailOption, raw);
  const unlocked = await withRuntime(() => unlockAccount(email));
  process.stdout.write(unlocked ? `Unlocked ${email}: they can sign in again.\n` : `${email} is not locked.\n`);
}

export async function resetTwoFactor(raw: unknown): Promise<void> {
  const { email } = parseOptions(emailOption, raw);
  const result = await withRuntime(() => reset(email));
  process.stdout.write(
    `${result.hadTwoFactor ? "Turned off two-factor authentication for" : "Two-factor authentication was already off for"} ${email}; ended ${result.sessionsEnded} session(s) and e-mailed them.\n`,
  );
}
