// Every column where the app stores a ciphertext of lib/crypto/cipher.ts. Start-up checks them against the
// keyring, and `keyward migrate-keys` re-encrypts them; a new encrypted column is one more entry here.
import pg from "pg";
import { withClient } from "@/lib/db/admin";
import type { SecretPurpose } from "./cipher";
import { KeyringError, type Keyring } from "./keyring";

export type EncryptedColumn = {
  table: string;
  column: string;
  purpose: SecretPurpose;
  /** The row's team, bound into the ciphertext; null for secrets that belong to a user, not a team. */
  teamColumn: string | null;
  /** The row id bound into the ciphertext, and its SQL type (for batched updates). */
  idColumn: string;
  idType: "uuid" | "text";
};

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  {
    table: "UpstreamKey",
    column: "encryptedKey",
    purpose: "upstream_key",
    teamColumn: "teamId",
    idColumn: "id",
    idType: "uuid",
  },
  {
    table: "AuditWebhook",
    column: "encryptedSecret",
    purpose: "audit_webhook_secret",
    teamColumn: "teamId",
    idColumn: "id",
    idType: "uuid",
  },
  {
    table: "OpenAIAdminKey",
    column: "encryptedKey",
    purpose: "openai_admin_key",
    teamColumn: "teamId",
    idColumn: "teamId",
    idType: "uuid",
  },
  {
    table: "User",
    column: "encryptedTotpSecret",
    purpose: "totp_secret",
    teamColumn: null,
    idColumn: "id",
    idType: "uuid",
  },
];

type Queryable = Pick<pg.ClientBase, "query" | "escapeIdentifier">;

/**
 * Whether the column exists yet. Start-up checks BEFORE applying migrations, so a table (or a column added
 * to an existing table) may still be missing: that simply means nothing is stored in it.
 */
export async function columnExists(client: Queryable, column: EncryptedColumn): Promise<boolean> {
  const result = await client.query<{ present: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM pg_attribute
       WHERE attrelid = to_regclass($1) AND attname = $2 AND attnum > 0 AND NOT attisdropped
     ) AS present`,
    [client.escapeIdentifier(column.table), column.column],
  );
  return result.rows[0]?.present === true;
}

export type StoredVersionCount = { table: string; column: string; version: number; rows: number };

/** Rows per key version in every encrypted column that exists. Values without a "v<n>." prefix are left out. */
export async function storedVersionCounts(client: Queryable): Promise<StoredVersionCount[]> {
  const out: StoredVersionCount[] = [];
  for (const column of ENCRYPTED_COLUMNS) {
    if (!(await columnExists(client, column))) continue;
    const col = client.escapeIdentifier(column.column);
    const result = await client.query<{ prefix: string; rows: string }>(
      `SELECT split_part(${col}, '.', 1) AS prefix, count(*)::text AS rows
       FROM ${client.escapeIdentifier(column.table)} WHERE ${col} IS NOT NULL GROUP BY 1`,
    );
    for (const row of result.rows) {
      const match = /^v([1-9][0-9]{0,8})$/.exec(row.prefix);
      if (match)
        out.push({ table: column.table, column: column.column, version: Number(match[1]), rows: Number(row.rows) });
    }
  }
  return out;
}

/** Key version → number of stored ciphertexts written with it, over every encrypted column. */
export async function storedKeyVersions(connectionString: string): Promise<Map<number, number>> {
  const counts = await withClient(connectionString, storedVersionCounts);
  const byVersion = new Map<number, number>();
  for (const { version, rows } of counts) byVersion.set(version, (byVersion.get(version) ?? 0) + rows);
  return byVersion;
}

/** Start-up refuses to run when stored secrets need a key the keyring lacks: serving would fail on every use. */
export class MissingKeyVersionsError extends KeyringError {
  constructor(readonly versions: number[]) {
    const list =
      versions.length === 1 ? `version ${versions[0]}, which is` : `versions ${versions.join(", ")}, which are`;
    super(
      `Stored secrets use encryption key ${list} not in the keyring (ENCRYPTION_KEY / ENCRYPTION_KEY_PREVIOUS). ` +
        `Add the missing key(s) to ENCRYPTION_KEY_PREVIOUS as <version>:<base64 key>; nothing was changed.`,
    );
    this.name = "MissingKeyVersionsError";
  }
}

export async function assertKeyringCoversStoredSecrets(connectionString: string, keyring: Keyring): Promise<void> {
  const stored = await storedKeyVersions(connectionString);
  const missing = [...stored.keys()].filter((version) => !keyring.has(version)).sort((a, b) => a - b);
  if (missing.length > 0) throw new MissingKeyVersionsError(missing);
}
