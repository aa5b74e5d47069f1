// The app's one way into a transaction, with after-commit hooks: work that must happen only once the change
// is durable (telling the proxy's caches about it), never on rollback. `db().$transaction` is not used
// anywhere else (eslint forbids it), and afterCommit throws in a transaction it did not start, so a hook can
// never be silently dropped.
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

/** Registers a callback for after the commit. Throws in a transaction not started by transaction(). */
export function afterCommit(tx: Tx, callback: Hook): void {
  const callbacks = hooks.get(tx);
  if (!callbacks) throw new Error("afterCommit() needs a transaction started by transaction() (lib/db/transaction.ts)");
  callbacks.push(callback);
}
