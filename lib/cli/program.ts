// The operator CLI's command tree: names, options, help. Nothing heavy is imported here: each action loads
// its command's module (and with it zod, Prisma, the auth module, the keyring…) only when the command runs,
// so `keyward --help` and every command's --help answer without loading any of it.
import { Command, Help, Option } from "commander";

const PLAINTEXT_REFUSAL = "Keyward never stores secrets in plaintext; decrypting them is not offered.";

// Words an operator might try in place of a version to get the secrets out in clear.
const PLAINTEXT_TARGETS = new Set(["plaintext", "plain", "none", "clear", "cleartext", "decrypt", "decrypted", "raw"]);

const defaultHelp = new Help();

/** Commander's own description of an option, plus "(required)" on mandatory ones, which it does not mark. */
function describeOption(option: Option): string {
  const description = defaultHelp.optionDescription(option);
  return option.mandatory ? `${description} (required)` : description;
}

export function buildProgram(): Command {
  const program = new Command()
    .name("keyward")
    .description("Operate a Keyward installation. Uses DATABASE_URL, or the embedded database under DATA_DIR.")
    .showHelpAfterError()
    // Before any command is added: each copies the help configuration when it is created.
    .configureHelp({ optionDescription: describeOption });

  program
    .command("bootstrap")
    .description(
      "Create the first owner account and team. The password is read from stdin (piped, or typed without echo).",
    )
    .requiredOption("--email <email>", "the owner's e-mail address")
    .requiredOption("--team <name>", "the team's name")
    .option("--name <name>", "the owner's display name (default: the part of the e-mail before @)")
    .option("--additional", "create another owner and team on an installation that already has accounts")
    .action(async (options: unknown) => (await import("@/lib/cli/bootstrap")).bootstrap(options));

  program
    .command("migrate")
    .description("Apply pending database migrations (the server also does this at start-up).")
    .action(async () => {
      const { withRuntime } = await import("@/lib/cli/runtime");
      await withRuntime(async () => undefined);
      process.stdout.write("Database is up to date.\n");
    });

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
    .action(async (options: unknown) => (await import("@/lib/cli/upstream")).add(options));
  upstream
    .command("list")
    .description("List a team's OpenAI keys, masked.")
    .requiredOption("--team <slug>", "the team's slug")
    .action(async (options: unknown) => (await import("@/lib/cli/upstream")).list(options));

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
    .action(async (options: unknown) => (await import("@/lib/cli/keys")).create(options));
  keys
    .command("list")
    .description(
      "List every member key of a team, revoked ones too: id, display prefix, name, holder, status, scopes and dates. Never a key or its hash.",
    )
    .requiredOption("--team <slug>", "the team's slug")
    .option("--json", "print JSON (the REST API's key objects) instead of a table")
    .action(async (options: unknown) => (await import("@/lib/cli/keys")).list(options));
  keys
    .command("revoke")
    .description(
      "Revoke a member key, as the dashboard does: recorded in the audit log, and a NOTIFY on commit tells every running server's key cache.",
    )
    .requiredOption("--team <slug>", "the team's slug")
    .requiredOption("--id <key-id>", "the key's id, as keys list shows it")
    .action(async (options: unknown) => (await import("@/lib/cli/keys")).revoke(options));
  keys
    .command("roll")
    .description(
      "Roll a member key: a successor with the same name, scopes and holder, printed once on stdout; the old key keeps working for the overlap, then stops. Audited, as in the dashboard.",
    )
    .requiredOption("--team <slug>", "the team's slug")
    .requiredOption("--key <key-id>", "the key's id, as keys list shows it")
    .option("--overlap-hours <n>", "hours the old key keeps working, 1-168 (default: 24)")
    .option("--json", "print JSON (the REST API's answer, with the new key) instead of the key alone")
    .action(async (options: unknown) => (await import("@/lib/cli/rotation")).roll(options));
  keys
    .command("due")
    .description(
      "List the keys due for rotation (due soon or overdue under the team's rotation policy): member, management and OpenAI keys, with age, last use and due date.",
    )
    .option("--team <slug>", "the team's slug (default: every team)")
    .option("--json", "print JSON instead of a table")
    .action(async (options: unknown) => (await import("@/lib/cli/rotation")).due(options));

  const policy = program
    .command("policy")
    .description("Read or set a team's key policy, the ceiling of every member key.");
  policy
    .command("get")
    .description("Print a team's key policy as JSON (what policy set --policy takes).")
    .requiredOption("--team <slug>", "the team's slug")
    .action(async (options: unknown) => (await import("@/lib/cli/policy")).get(options));
  policy
    .command("set")
    .description(
      "Replace a team's key policy, as the dashboard does: audited, and every running server narrows keys wider than it from their next request.",
    )
    .requiredOption("--team <slug>", "the team's slug")
    .requiredOption(
      "--policy <file|json>",
      'the policy as JSON, e.g. {"endpoints":{"chat":"write","models":"read"},"models":["gpt-4o*"],"maxLifetimeDays":90}',
    )
    .action(async (options: unknown) => (await import("@/lib/cli/policy")).set(options));

  const members = program.command("members").description("List a team's members or change their roles.");
  members
    .command("list")
    .description("List a team's members: membership id, e-mail, name, role and when they joined.")
    .requiredOption("--team <slug>", "the team's slug")
    .option("--json", "print JSON (the REST API's member objects) instead of a table")
    .action(async (options: unknown) => (await import("@/lib/cli/members")).list(options));
  members
    .command("role")
    .description(
      "Change a member's role, as the dashboard does: audited, and the new role caps the member's keys at once. The team keeps at least one owner.",
    )
    .requiredOption("--team <slug>", "the team's slug")
    .requiredOption("--member <email>", "the member's e-mail address")
    .requiredOption("--role <role>", "owner, admin, member, viewer or auditor")
    .action(async (options: unknown) => (await import("@/lib/cli/members")).role(options));

  const audit = program
    .command("audit")
    .description("Export a team's audit log, verify its hash chain, print its head, prune it.");
  audit
    .command("export")
    .description(
      "Write a team's audit log (its events and its members' sign-ins, newest first) to stdout. The export is itself recorded in the log.",
    )
    .requiredOption("--team <slug>", "the team's slug")
    .requiredOption("--format <format>", "csv or jsonl")
    .option("--since <date>", "only entries from this date or time on, e.g. 2026-12-01")
    .action(async (options: unknown) => (await import("@/lib/cli/audit")).exportLog(options));
  audit
    .command("verify")
    .description(
      'Check the audit hash chain of one team, or of every team: prints "intact up to event N" or the first broken link, and exits 1 if any chain is broken.',
    )
    .option("--team <slug>", "the team's slug (default: every team)")
    .action(async (options: unknown) => (await import("@/lib/cli/audit")).verify(options));
  audit
    .command("head")
    .description(
      "Print the head of a team's audit hash chain (seq, hash, time): note it elsewhere to prove later that history before it was not rewritten.",
    )
    .requiredOption("--team <slug>", "the team's slug")
    .action(async (options: unknown) => (await import("@/lib/cli/audit")).head(options));
  audit
    .command("prune")
    .description(
      "Delete audit events older than the team's retention period (default 400 days, at least 90), as the scheduled job does; the pruning is itself recorded, and the chain stays verifiable.",
    )
    .option("--team <slug>", "the team's slug (default: every team)")
    .action(async (options: unknown) => (await import("@/lib/cli/audit")).prune(options));

  const users = program
    .command("users")
    .description("Help with accounts: who has 2FA, lifting a sign-in lock, resetting a lost second factor.");
  users
    .command("list")
    .description("List every account: e-mail, name, whether 2FA is on, whether sign-in is locked.")
    .option("--json", "print JSON instead of a table")
    .action(async (options: unknown) => (await import("@/lib/cli/users")).list(options));
  users
    .command("unlock")
    .description("Lift the lock set after 100 failed sign-ins (the user can also do it with the e-mailed link).")
    .requiredOption("--email <email>", "the account's e-mail address")
    .action(async (options: unknown) => (await import("@/lib/cli/users")).unlock(options));
  users
    .command("reset-2fa")
    .description(
      "Turn off 2FA for a user who lost both their device and their recovery codes: ends their sessions, records an audit event and e-mails them.",
    )
    .requiredOption("--email <email>", "the account's e-mail address")
    .action(async (options: unknown) => (await import("@/lib/cli/users")).resetTwoFactor(options));

  const managementKeys = program
    .command("management-keys")
    .description("Manage team management keys (kw_mgmt_…) for the REST API.");
  managementKeys
    .command("create")
    .description(
      "Issue a management key held by a team member. The key is printed once, on stdout; its scopes may not exceed the member's role.",
    )
    .requiredOption("--team <slug>", "the team's slug")
    .requiredOption("--member <email>", "the member who will hold the key (an owner or admin, for most scopes)")
    .requiredOption(
      "--scopes <list>",
      "comma-separated: members.read, members.remove, members.update_role, members.invite, api_keys.manage, api_keys.policy, audit.read",
    )
    .option("--name <name>", "a name for the key", "CLI management key")
    .action(async (options: unknown) => (await import("@/lib/cli/management-keys")).create(options));

  program
    .command("migrate-keys")
    .description(
      "Re-encrypt every stored secret (the teams' OpenAI keys) from key version --from to --to, in batches, after " +
        "backing up the old ciphertexts. Both keys come from the environment: ENCRYPTION_KEY (version " +
        'ENCRYPTION_KEY_VERSION) and ENCRYPTION_KEY_PREVIOUS ("<version>:<base64 key>,…"). Safe to interrupt and re-run.',
    )
    .requiredOption("--from <version>", "the key version the secrets use now")
    .requiredOption("--to <version>", "the key version to re-encrypt them with, usually ENCRYPTION_KEY_VERSION")
    .option("--dry-run", "report per table how many rows would change; change nothing, write no backup")
    .option(
      "--backup <path>",
      "backup file (JSON lines of old ciphertexts, mode 0600; default <DATA_DIR>/backups/migrate-keys-<UTC time>.jsonl)",
    )
    .option("--batch-size <n>", "rows re-encrypted per transaction", "500")
    // Hidden: only there to answer the question with a clear refusal instead of "unknown option".
    .addOption(new Option("--decrypt").hideHelp())
    // Refused while the arguments are read, before the check for missing options: the question gets its
    // answer, and nothing (not even the database) is touched.
    .on("option:decrypt", () => {
      throw new Error(PLAINTEXT_REFUSAL);
    })
    .on("option:to", (value: string) => {
      if (PLAINTEXT_TARGETS.has(value.trim().toLowerCase())) throw new Error(PLAINTEXT_REFUSAL);
    })
    .addHelpText(
      "after",
      "\nExample, after rotating to a new key as version 2:\n  ENCRYPTION_KEY=<new> ENCRYPTION_KEY_VERSION=2 ENCRYPTION_KEY_PREVIOUS=1:<old> keyward migrate-keys --from 1 --to 2",
    )
    .action(async (options: unknown) => (await import("@/lib/cli/migrate-keys")).migrateKeys(options));

  return program;
}
