// The proxy's open streams, by key: what lets a revocation end a stream that is already flowing, not only the
// key's next request. After every key change the cache hears, the streams of the keys it may concern are
// checked again against a fresh read of the key, and cut when the key is gone (revoked, removed, its team
// deleted) or expired. A key that was only edited keeps its open streams: they were admitted under scopes it
// had, and its next request is checked under the new ones.
import type { KeyChange } from "@/lib/keys/key-changes";
import { logger } from "@/lib/logger";
import type { CompiledKey } from "./key-cache";

type Open = { key: CompiledKey; cut: () => void };

export class OpenStreams {
  private readonly open = new Set<Open>();

  /** Registers a stream; returns the function that unregisters it (call it when the stream ends). */
  track(key: CompiledKey, cut: () => void): () => void {
    const entry: Open = { key, cut };
    this.open.add(entry);
    return () => this.open.delete(entry);
  }

  get size(): number {
    return this.open.size;
  }

  /**
   * Checks the streams `change` may concern against `reload` (the cache's get, after its invalidation) and
   * cuts those whose key is gone or expired. A failed read (the database is down) cuts nothing: nobody can
   * revoke a key while it is down, and the key's cache entry is bounded in time anyway.
   */
  async recheck(
    change: KeyChange,
    reload: (hash: string) => Promise<CompiledKey | null>,
    now: () => number = Date.now,
  ): Promise<number> {
    if (change.upstreamTeamId && !change.hashes && !change.teamId) return 0;
    const everything = !change.hashes && !change.teamId;
    const hashes = new Set(change.hashes);
    const concerned = [...this.open].filter(
      ({ key }) => everything || hashes.has(key.hash) || (change.teamId !== undefined && key.teamId === change.teamId),
    );
    let cut = 0;
    const verdicts = new Map<string, Promise<boolean>>();
    await Promise.all(
      concerned.map(async (entry) => {
        const { hash } = entry.key;
        let verdict = verdicts.get(hash);
        if (!verdict) {
          verdict = reload(hash).then(
            (key) => key === null || (key.expiresAtMs !== null && key.expiresAtMs <= now()),
            (error: unknown) => {
              logger.warn({ err: error }, "could not check an open stream's key again; the stream goes on");
              return false;
            },
          );
          verdicts.set(hash, verdict);
        }
        if (!(await verdict) || !this.open.has(entry)) return;
        this.open.delete(entry);
        cut++;
        entry.cut();
      }),
    );
    return cut;
  }
}
