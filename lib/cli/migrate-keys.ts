// `keyward migrate-keys`: re-encrypts every stored secret from one key version to another, after writing a
// backup of the old ciphertexts. Keys come only from the environment's keyring; the options name versions.
// Its options, and the refusal to decrypt to plaintext, are in program.ts.
import { transaction } from "@/lib/db/transaction";
import { mkdir, open, rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import cliProgress from "cli-progress";
import type pg from "pg";
import { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record";
import { appKeyring, KeyringError, type Keyring } from "@/lib/crypto/keyring";
import {
  candidateRows,
  countToReencrypt,
  reencryptBatch,
  type ReencryptCursor,
  type ReencryptScope,
} from "@/lib/crypto/reencrypt";
import { withClient } from "@/lib/db/admin";
import { env } from "@/lib/env";
import { say, withRuntime } from "@/lib/cli/runtime";

// Digits only: a pasted base64 key is refused without being echoed back.
const version = (flag: string) =>
  z
    .string({ error: `${flag} is required` })
    .regex(
      /^[1-9][0-9]{0,8}$/,
      `${flag} must be a key version number such as 2 (the keys themselves come only from the environment)`,
    )
    .transform(Number);

const optionsSchema = z.object({
  from: version("--from"),
  to: version("--to"),
  dryRun: z.boolean().default(false),
  backup: z.string().min(1).optional(),
  batchSize: z.coerce.number().int().min(1).max(10_000).default(500),
});

type Options = z.infer<typeof optionsSchema>;

/** Rows done, on a cli-progress bar on a terminal; otherwise a plain line at most once a second, for logs. */
function progressReporter(total: number): { update(done: number): void; finish(done: number): void } {
  const started = Date.now();
  const rate = (done: number) => Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: "re-encrypting {bar} {value}/{total} | {rate}/s | ETA {eta_formatted}",
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: 0 });
    const update = (done: number) => bar.update(done, { rate: rate(done) });
    return { update, finish: (done) => (update(done), bar.stop()) };
  }
  let last = 0;
  let shown = -1;
  const line = (done: number) => {
    say(`re-encrypted ${done}/${Math.max(total, done)} (${rate(done)}/s)`);
    last = Date.now();
    shown = done;
  };
  return {
    // The first batch is shown at once, then at most one line a second.
    update: (done) => (shown < 0 || Date.now() - last >= 1000) && line(done),
    finish: (done) => shown !== done && line(done),
  };
}

/**
 * Writes every row the run will touch (ciphertexts only) as JSON lines, mode 0600, fsync'd with its folder.
 * Any failure stops the run before anything changed; a partial file we created is removed.
 */
async function writeBackup(client: pg.Client, scope: ReencryptScope, file: string): Promise<number> {
  let created = false;
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // "wx": never overwrite an earlier backup, which may be the only copy of older ciphertexts.
    const handle = await open(file, "wx", 0o600);
    created = true;
    let rows = 0;
    try {
      await handle.chmod(0o600); // whatever the umask
      for await (const page of candidateRows(client, scope)) {
        const lines = page.map(({ table, id, column, teamId, ciphertext }) =>
          JSON.stringify({ table, id, column, teamId, ciphertext }),
        );
        await handle.write(`${lines.join("\n")}\n`);
        rows += page.length;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const dir = await open(path.dirname(file), "r");
    await dir.sync().finally(() => dir.close());
    return rows;
  } catch (error) {
    if (created) await rm(file, { force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not write the backup to ${file} (${reason}). Nothing was changed.`);
  }
}

function defaultBackupPath(dataDir: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "");
  return path.resolve(dataDir, "backups", `migrate-keys-${stamp}.jsonl`);
}

async function dryRun(client: pg.Client, scope: ReencryptScope): Promise<void> {
  const { total, byColumn } = await countToReencrypt({ connection: client, ...scope });
  for (const { table, column, rows } of byColumn) {
    process.stdout.write(
      `${table}.${column}: ${rows} row(s) would be re-encrypted from key version ${scope.from} to ${scope.to}.\n`,
    );
  }
  process.stdout.write(`Dry run: ${total} row(s) in all; nothing was changed.\n`);
}

async function migrate(client: pg.Client, keyring: Keyring, options: Options, backupFile: string): Promise<void> {
  const scope: ReencryptScope = { from: options.from, to: options.to };
  const { total } = await countToReencrypt({ connection: client, ...scope });
  // The backup comes first and throws on any failure: until it is safely on disk, nothing is changed.
  const backedUp = total > 0 ? await writeBackup(client, scope, backupFile) : 0;
  if (backedUp > 0) say(`Backed up ${backedUp} ciphertext(s) to ${backupFile}`);
  let done = 0;
  let completed = false;
  try {
    if (backedUp > 0) {
      const progress = progressReporter(backedUp);
      let cursor: ReencryptCursor | undefined;
      for (;;) {
        const batch = await reencryptBatch({
          connection: client,
          keyring,
          ...scope,
          batchSize: options.batchSize,
          cursor,
        });
        cursor = batch.cursor;
        done += batch.updated;
        progress.update(done);
        if (!batch.remaining) break;
        // Another worker (the background job) holds the rows that are left: give it a moment.
        if (batch.updated === 0) await sleep(200);
      }
      progress.finish(done);
    }
    completed = true;
  } finally {
    // One event per run, also for a run that failed half-way (then with completed: false).
    await transaction((tx) =>
      recordAudit(tx, {
        teamId: null,
        actor: { type: "system", label: "keyward migrate-keys" },
        action: "encryption.reencrypt",
        metadata: { from: options.from, to: options.to, rows: done, dryRun: false, completed },
        context: { ip: null, userAgent: "keyward-cli" },
      }),
    );
  }
  process.stdout.write(
    done === 0
      ? `Nothing to re-encrypt: no stored secret uses key version ${options.from}.\n`
      : `Re-encrypted ${done} secret(s) from key version ${options.from} to ${options.to}. Backup: ${backupFile}\n`,
  );
}

export async function migrateKeys(raw: unknown): Promise<void> {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new AppError("unprocessable", "Invalid options", zodFieldErrors(parsed.error));
  const options = parsed.data;
  if (options.from === options.to)
    throw new AppError("unprocessable", "--from and --to must be different key versions.");

  await withRuntime(async () => {
    const keyring = appKeyring();
    for (const [flag, v] of [
      ["--from", options.from],
      ["--to", options.to],
    ] as const) {
      if (!keyring.has(v)) {
        throw new KeyringError(
          `${flag} ${v}: key version ${v} is not in the keyring (it has ${keyring.versions().join(", ")}). ` +
            "Set ENCRYPTION_KEY / ENCRYPTION_KEY_VERSION and ENCRYPTION_KEY_PREVIOUS so both versions are present.",
        );
      }
    }
    const scope: ReencryptScope = { from: options.from, to: options.to };
    const backupFile = options.backup ? path.resolve(options.backup) : defaultBackupPath(env().DATA_DIR);
    await withClient(process.env.DATABASE_URL ?? "", (client) =>
      options.dryRun ? dryRun(client, scope) : migrate(client, keyring, options, backupFile),
    );
  });
}
