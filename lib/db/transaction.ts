// Transactions with after-commit hooks: work that must happen only once the change is durable (telling this
// process's caches about it), never on rollback.
import { EventEmitter } from "node:events";
import { db, type Tx } from "@/lib/db/client";

const hooks = new WeakMap<Tx, (() => void)[]>();

/** Runs `fn` in a transaction; callbacks registered with afterCommit(tx, …) run after it commits. */
export async function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  let callbacks: (() => void)[] = [];
  const result = await db().$transaction(async (tx) => {
    callbacks = [];
    hooks.set(tx, callbacks);
    return fn(tx);
  });
  for (const callback of callbacks) callback();
  return result;
}

/** Registers a callback for after the commit; a no-op in a transaction not started by transaction(). */
export function afterCommit(tx: Tx, callback: () => void): void {
  hooks.get(tx)?.push(callback);
}

/**
 * One bus per process, shared by every module graph in it (Next's server bundle and the fast path load
 * separate copies of our modules, but share globalThis).
 */
export function processBus(): EventEmitter {
  const holder = globalThis as unknown as { keywardBus?: EventEmitter };
  holder.keywardBus ??= new EventEmitter().setMaxListeners(100);
  return holder.keywardBus;
}
