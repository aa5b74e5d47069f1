// Transactions with after-commit hooks: work that must happen only once the change is durable (telling this
// process's caches about it), never on rollback.
import { db, type Tx } from "@/lib/db/client";

type Hook = () => void | Promise<void>;
const hooks = new WeakMap<Tx, Hook[]>();

/**
 * Runs `fn` in a transaction; callbacks registered with afterCommit(tx, …) run after it commits, in order,
 * and are awaited before this resolves.
 */
export async function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  let callbacks: Hook[] = [];
  const result = await db().$transaction(async (tx) => {
    callbacks = [];
    hooks.set(tx, callbacks);
    return fn(tx);
  });
  for (const callback of callbacks) await callback();
  return result;
}

/** Registers a callback for after the commit; a no-op in a transaction not started by transaction(). */
export function afterCommit(tx: Tx, callback: Hook): void {
  hooks.get(tx)?.push(callback);
}
