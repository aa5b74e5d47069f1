// The journey of a key change, from a dashboard action, a management API call or the CLI to every proxy
// cache. It starts here, and this is the only way in (lib/keys/publishing-path.test.ts fails on any other):
//  1. The change is written inside transaction() (lib/db/transaction.ts), and the writer calls
//     notifyKeyChange below in that same transaction (directly, or through revokeMemberKeys or
//     memberCeilingChanged in store.ts). afterCommit throws outside transaction(): no hook is ever dropped.
//  2. pg_notify queues the change in that transaction. PostgreSQL delivers it on COMMIT (never on ROLLBACK)
//     to every server's LISTEN connection (subscribeKeyChanges in key-changes.ts): the carrier to other
//     servers, and a redundant second one to this server.
//  3. After COMMIT, transaction() runs and awaits the hook registered here, publishCommittedKeyChange
//     (key-changes.ts): this process's caches hear it at once through the process bus (the route handlers'
//     proxy, with PROXY_FAST_PATH=off), then the web process relays it to the edge over IPC
//     (web-process.ts) and waits until the edge has applied it to its cache and confirmed (server.ts).
//  4. Only then does the action answer: the very next request through this server is judged under the
//     change. Other servers apply it when their NOTIFY arrives; the listener drops every cached key after a
//     reconnect, and no cached key lives longer than 60 s, which bounds what a lost notification can cost.
// Two carriers to this server's edge, and no fewer: NOTIFY alone has no "applied" moment the action could
// await, and IPC alone reaches no other server. Nothing else carries key changes.
import type { Tx } from "@/lib/db/client";
import { afterCommit } from "@/lib/db/transaction";
import { KEY_CHANNEL, publishCommittedKeyChange, type KeyChange } from "./key-changes";

/**
 * Queues the notification inside the caller's transaction: PostgreSQL sends it to every listening server on
 * COMMIT (never on ROLLBACK). After the commit, transaction() also awaits this process's caches and the
 * edge's, so the caller's answer goes out only once the very next proxied request would be refused.
 */
export async function notifyKeyChange(tx: Tx, change: KeyChange): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${KEY_CHANNEL}, ${JSON.stringify(change)})`;
  afterCommit(tx, () => publishCommittedKeyChange(change));
}
