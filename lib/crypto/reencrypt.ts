// Re-encryption of stored secrets from one key version to another, in small batches, shared by
// `keyward migrate-keys` and the background job. Each batch is one transaction that swaps old ciphertexts
// for new ones row by row, so at any instant (a kill -9 included) every row holds either its old or its new
// ciphertext, and a keyring with both keys reads them all. A second run picks up what is left.
import pg from "pg";
import { withClient } from "@/lib/db/admin";
import { decryptSecret, encryptSecret } from "./cipher";
import { columnExists, ENCRYPTED_COLUMNS, type EncryptedColumn } from "./encrypted-columns";
import type { Keyring } from "./keyring";

/** A connection string (one connection per call), a pool (one client per call), or a client the caller owns. */
export type Connection = string | pg.Pool | pg.ClientBase;

export type ReencryptScope = {
  /** The version to move away from; undefined means every version other than `to`. */
  from?: number;
  to: number;
  /** Only this team's secrets (columns without a team, such as a user's TOTP secret, are then skipped). */
  teamId?: string;
  /** Defaults to every encrypted column of the app. */
  columns?: readonly EncryptedColumn[];
};

export type ReencryptOptions = ReencryptScope & { connection: Connection; keyring: Keyring; batchSize: number };

export type CandidateRow = { table: string; column: string; id: string; teamId: string | null; ciphertext: string };

export class ReencryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReencryptError";
  }
}

async function withConnection<T>(connection: Connection, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (typeof connection === "string") return withClient(connection, fn);
  if (connection instanceof pg.Pool) {
    const client = await connection.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }
  return fn(connection);
}

function checkScope(scope: ReencryptScope): void {
  if (scope.from === scope.to)
    throw new ReencryptError(`Nothing to do: --from and --to are both key version ${scope.to}.`);
}

/** The columns in scope that exist in this database (a table may not be migrated yet). */
async function columnsInScope(client: pg.ClientBase, scope: ReencryptScope): Promise<EncryptedColumn[]> {
  const columns = (scope.columns ?? ENCRYPTED_COLUMNS).filter(
    (column) => scope.teamId === undefined || column.teamColumn !== null,
  );
  const present: EncryptedColumn[] = [];
  for (const column of columns) if (await columnExists(client, column)) present.push(column);
  return present;
}

/** SQL pieces that select the rows of `column` still to re-encrypt (after `afterId` in id order, if given). */
function selection(
  client: pg.ClientBase,
  column: EncryptedColumn,
  scope: ReencryptScope,
  params: unknown[],
  afterId?: string,
) {
  const id = client.escapeIdentifier(column.idColumn);
  const col = client.escapeIdentifier(column.column);
  const team = column.teamColumn ? `${client.escapeIdentifier(column.teamColumn)}::text` : "NULL::text";
  // "v1.%" cannot match "v10.…": the dot follows the digits. '.' is not a LIKE wildcard.
  params.push(`v${scope.from ?? scope.to}.%`);
  const where = [`${col} IS NOT NULL`, `${col} ${scope.from === undefined ? "NOT LIKE" : "LIKE"} $${params.length}`];
  if (scope.teamId !== undefined && column.teamColumn) {
    params.push(scope.teamId);
    where.push(`${client.escapeIdentifier(column.teamColumn)}::text = $${params.length}`);
  }
  if (afterId !== undefined) {
    params.push(afterId);
    where.push(`${id} > $${params.length}::${column.idType}`);
  }
  return { table: client.escapeIdentifier(column.table), id, col, team, where: where.join(" AND ") };
}

async function countIn(client: pg.ClientBase, column: EncryptedColumn, scope: ReencryptScope): Promise<number> {
  const params: unknown[] = [];
  const s = selection(client, column, scope, params);
  const result = await client.query<{ rows: string }>(
    `SELECT count(*)::text AS rows FROM ${s.table} WHERE ${s.where}`,
    params,
  );
  return Number(result.rows[0]?.rows ?? 0);
}

// EXISTS stops at the first match; it runs once per pass over a column, not after every batch.
async function anyLeftIn(client: pg.ClientBase, columns: EncryptedColumn[], scope: ReencryptScope): Promise<boolean> {
  for (const column of columns) {
    const params: unknown[] = [];
    const s = selection(client, column, scope, params);
    const result = await client.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${s.table} WHERE ${s.where}) AS found`,
      params,
    );
    if (result.rows[0]?.found === true) return true;
  }
  return false;
}

export type ReencryptCount = { total: number; byColumn: { table: string; column: string; rows: number }[] };

/** How many stored secrets a re-encryption with this scope would change, per column. */
export async function countToReencrypt(opts: ReencryptScope & { connection: Connection }): Promise<ReencryptCount> {
  checkScope(opts);
  return withConnection(opts.connection, async (client) => {
    const byColumn: ReencryptCount["byColumn"] = [];
    for (const column of await columnsInScope(client, opts)) {
      byColumn.push({ table: column.table, column: column.column, rows: await countIn(client, column, opts) });
    }
    return { total: byColumn.reduce((sum, c) => sum + c.rows, 0), byColumn };
  });
}

/** Every row still to re-encrypt, page by page in id order (keyset pagination: no long-held snapshot or lock). */
export async function* candidateRows(
  client: pg.ClientBase,
  scope: ReencryptScope,
  pageSize = 1000,
): AsyncGenerator<CandidateRow[]> {
  checkScope(scope);
  for (const column of await columnsInScope(client, scope)) {
    let after: string | undefined;
    for (;;) {
      const params: unknown[] = [];
      const s = selection(client, column, scope, params, after);
      params.push(pageSize);
      const result: pg.QueryResult<{ id: string; team_id: string | null; ciphertext: string }> = await client.query(
        `SELECT ${s.id}::text AS id, ${s.team} AS team_id, ${s.col} AS ciphertext FROM ${s.table}
         WHERE ${s.where} ORDER BY ${s.id} LIMIT $${params.length}`,
        params,
      );
      if (result.rows.length === 0) break;
      yield result.rows.map((row) => ({
        table: column.table,
        column: column.column,
        id: row.id,
        teamId: row.team_id,
        ciphertext: row.ciphertext,
      }));
      after = result.rows[result.rows.length - 1]?.id;
      if (result.rows.length < pageSize) break;
    }
  }
}

/** Where the previous batch stopped, so the next one starts there instead of re-scanning finished rows. */
export type ReencryptCursor = { table: string; column: string; afterId: string };

export type ReencryptBatchResult = { updated: number; remaining: boolean; cursor?: ReencryptCursor };

/** Re-encrypts one column's batch inside the caller's transaction. */
async function reencryptRows(client: pg.ClientBase, column: EncryptedColumn, opts: ReencryptOptions, afterId?: string) {
  const params: unknown[] = [];
  const s = selection(client, column, opts, params, afterId);
  params.push(opts.batchSize);
  // SKIP LOCKED: two workers (the CLI and the background job) never wait on, or redo, each other's rows.
  const selected = await client.query<{ id: string; team_id: string | null; ciphertext: string }>(
    `SELECT ${s.id}::text AS id, ${s.team} AS team_id, ${s.col} AS ciphertext FROM ${s.table}
     WHERE ${s.where} ORDER BY ${s.id} LIMIT $${params.length} FOR UPDATE SKIP LOCKED`,
    params,
  );
  const rows = selected.rows;
  const fresh = rows.map((row) => {
    const binding = { purpose: column.purpose, teamId: column.teamColumn ? row.team_id : null, rowId: row.id };
    try {
      return encryptSecret(decryptSecret(row.ciphertext, binding, opts.keyring), binding, opts.keyring, opts.to);
    } catch (error) {
      // Names the row, never its contents; the batch rolls back and nothing of it is half-done.
      throw new ReencryptError(
        `${column.table} row ${row.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
  if (rows.length === 0) return { selected: 0, updated: 0, lastId: undefined };
  // Compare-and-swap on the old ciphertext: a concurrent write (a new key stored meanwhile) is never clobbered.
  const updated = await client.query(
    `UPDATE ${s.table} AS t SET ${s.col} = v.fresh
     FROM unnest($1::${column.idType}[], $2::text[], $3::text[]) AS v(id, old, fresh)
     WHERE t.${s.id} = v.id AND t.${s.col} = v.old`,
    [rows.map((row) => row.id), rows.map((row) => row.ciphertext), fresh],
  );
  return { selected: rows.length, updated: updated.rowCount ?? 0, lastId: rows[rows.length - 1]?.id };
}

async function inTransaction<T>(client: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await fn();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/**
 * Re-encrypts up to `batchSize` rows (of the first column in scope that has any) in one transaction. Pass
 * the returned `cursor` to the next call: without it each batch re-scans the rows already done, which
 * grows quadratic on big tables. `remaining` says whether rows are left, locked ones included: when
 * `updated` is 0 but `remaining` is true, another worker holds them, so back off briefly and call again.
 */
export async function reencryptBatch(
  opts: ReencryptOptions & { cursor?: ReencryptCursor },
): Promise<ReencryptBatchResult> {
  checkScope(opts);
  // Throw UnknownKeyVersionError before any work, rather than on the first row.
  opts.keyring.key(opts.to);
  if (opts.from !== undefined) opts.keyring.key(opts.from);
  return withConnection(opts.connection, async (client) => {
    const columns = await columnsInScope(client, opts);
    const at = opts.cursor;
    const start = Math.max(
      0,
      columns.findIndex((c) => c.table === at?.table && c.column === at.column),
    );
    for (const [index, column] of columns.entries()) {
      if (index < start) continue;
      const afterId =
        index === start && at?.table === column.table && at.column === column.column ? at.afterId : undefined;
      const batch = await inTransaction(client, () => reencryptRows(client, column, opts, afterId));
      if (batch.selected === 0) continue;
      // A full batch: more probably follow it. A short one ended the pass, so check everything afresh
      // (rows skipped while locked by another worker, or written before the cursor meanwhile).
      if (batch.selected === opts.batchSize && batch.lastId) {
        return {
          updated: batch.updated,
          remaining: true,
          cursor: { table: column.table, column: column.column, afterId: batch.lastId },
        };
      }
      return { updated: batch.updated, remaining: await anyLeftIn(client, columns, opts) };
    }
    return { updated: 0, remaining: await anyLeftIn(client, columns, opts) };
  });
}
