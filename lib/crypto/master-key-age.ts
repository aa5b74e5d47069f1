// How old the master key (ENCRYPTION_KEY) is, and whether it is due for rotation: a warning at start-up, a
// field of /api/ready's JSON and the keyward_master_key_age_days metric, each pointing at the README's steps.
// Its age counts from ENCRYPTION_KEY_CREATED_AT when the operator gives it, otherwise from the moment this
// installation first used the current ENCRYPTION_KEY_VERSION (recorded once, in MasterKeyVersion).
import type pg from "pg";

export const MASTER_KEY_ROTATION_DOCS = "README.md#rotating-the-master-key-without-downtime";

const DAY_MS = 86_400_000;

export type MasterKeyAge = {
  version: number;
  since: string;
  ageDays: number;
  maxAgeDays: number;
  rotationDue: boolean;
  docs: string;
};

export function masterKeyAge(input: {
  version: number;
  firstSeenAt: Date;
  createdAt?: string;
  maxAgeDays: number;
  now: Date;
}): MasterKeyAge {
  const since = input.createdAt ? new Date(input.createdAt) : input.firstSeenAt;
  const ageDays = Math.max(0, Math.floor((input.now.getTime() - since.getTime()) / DAY_MS));
  return {
    version: input.version,
    since: since.toISOString(),
    ageDays,
    maxAgeDays: input.maxAgeDays,
    rotationDue: ageDays >= input.maxAgeDays,
    docs: MASTER_KEY_ROTATION_DOCS,
  };
}

/** Records the version's first use (once) and returns when that was. */
export async function recordMasterKeyVersion(client: Pick<pg.ClientBase, "query">, version: number): Promise<Date> {
  await client.query(
    `INSERT INTO "MasterKeyVersion" (version, "firstSeenAt") VALUES ($1, now()) ON CONFLICT (version) DO NOTHING`,
    [version],
  );
  const result = await client.query<{ firstSeenAt: Date }>(
    `SELECT "firstSeenAt" FROM "MasterKeyVersion" WHERE version = $1`,
    [version],
  );
  return result.rows[0]?.firstSeenAt ?? new Date();
}

export function masterKeyWarning(age: MasterKeyAge): string {
  return `the master key (ENCRYPTION_KEY, version ${age.version}) is ${age.ageDays} days old, over the ${age.maxAgeDays} days of ENCRYPTION_KEY_MAX_AGE_DAYS: rotate it (${age.docs})`;
}
