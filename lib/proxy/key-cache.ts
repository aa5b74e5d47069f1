// The proxy's view of member keys: hash → compiled key, in memory, bounded (LRU). A miss loads one row (and caches a
// negative answer for a while, so a flood of bad keys cannot reach the database); NOTIFYs on the
// keyward_key_changes channel drop entries the moment a revoke, edit, removal or team deletion commits.
// Every entry also lives at most KEY_TTL_MS after its load: the last line of defence should a change be
// missed anyway (the listener drops everything after each reconnect; this bounds what nothing else caught).
import {
  keyScopesSchema,
  compileIpMatcher,
  compileModelMatcher,
  type Access,
  type EndpointGroup,
  type KeyScopes,
} from "@/lib/keys/scopes";
import type { KeyChange } from "@/lib/keys/key-changes";
import { DEFAULT_TEAM_POLICY, effectiveScopes, teamKeyPolicySchema } from "@/lib/keys/policy";
import type { Role } from "@/lib/auth/permissions";
import { LRUCache } from "lru-cache";

export type CompiledKey = {
  id: string;
  /** The key's roll chain (its own id when never rolled): rate limits and budgets are counted per chain. */
  lineageId: string;
  teamId: string;
  userId: string | null;
  hash: string;
  endpoints: Partial<Record<EndpointGroup, Access>>;
  models: string[] | undefined;
  allowsModel: (model: string) => boolean;
  /** null: any address. */
  allowsIp: ((ip: string) => boolean) | null;
  rpm: number | null;
  tpm: number | null;
  budget: KeyScopes["budget"] | null;
  expiresAtMs: number | null;
  /** The expiry is the team's "2FA required" deadline (its holder has no 2FA), not the key's own. */
  expiryIsTwoFactor: boolean;
  /** When the cache may no longer answer with this entry without reloading it. */
  staleAtMs: number;
};

export type KeyRow = {
  id: string;
  /** The first key of its roll chain; null or absent: the key itself. */
  lineageId?: string | null;
  teamId: string;
  userId: string | null;
  hash: string;
  scopes: unknown;
  expiresAt: Date | null;
  createdAt: Date;
  /** The team's key policy (null: the default) and the holder's role in the team, as they are now. */
  keyPolicy: unknown;
  role: Role;
  /** When the team's "2FA required" policy shuts this key out (its holder has no 2FA); null: never. */
  twoFactorDeadline?: Date | null;
};

/** How long a loaded key is served from memory at most (a reload then costs one indexed read per key). */
export const KEY_TTL_MS = 60_000;

/**
 * The key as the proxy enforces it: its own scopes narrowed by the team policy and its holder's role, worked
 * out once here (when the key enters the cache), so the hot path stays one lookup. A role change, a policy
 * change or a removal drops the entry like a revocation does, and the next request loads it afresh.
 */
export function compileKey(row: KeyRow, now = Date.now()): CompiledKey {
  const own = keyScopesSchema.parse(row.scopes);
  const policy = row.keyPolicy ? teamKeyPolicySchema.parse(row.keyPolicy) : DEFAULT_TEAM_POLICY;
  const effective = effectiveScopes(
    { ...own, ...(row.expiresAt ? { expiresAt: row.expiresAt.toISOString() } : {}) },
    policy,
    row.role,
    row.createdAt,
  );
  const scopes = effective.scopes;
  const ownModel = compileModelMatcher(scopes.models);
  const policyModel = effective.alsoModels ? compileModelMatcher(effective.alsoModels) : null;
  const ownIp = scopes.ipAllowList ? compileIpMatcher(scopes.ipAllowList) : null;
  const ownExpiry = scopes.expiresAt ? Date.parse(scopes.expiresAt) : null;
  const twoFactorDeadline = row.twoFactorDeadline ? row.twoFactorDeadline.getTime() : null;
  const expiryIsTwoFactor = twoFactorDeadline !== null && (ownExpiry === null || twoFactorDeadline < ownExpiry);
  const policyIp = effective.alsoIpAllowList ? compileIpMatcher(effective.alsoIpAllowList) : null;
  return {
    id: row.id,
    lineageId: row.lineageId ?? row.id,
    teamId: row.teamId,
    userId: row.userId,
    hash: row.hash,
    endpoints: scopes.endpoints,
    models: scopes.models,
    allowsModel: policyModel ? (model) => ownModel(model) && policyModel(model) : ownModel,
    allowsIp: ownIp && policyIp ? (ip) => ownIp(ip) && policyIp(ip) : ownIp,
    rpm: scopes.limits?.rpm ?? null,
    tpm: scopes.limits?.tpm ?? null,
    budget: scopes.budget ?? null,
    expiresAtMs: expiryIsTwoFactor ? twoFactorDeadline : ownExpiry,
    expiryIsTwoFactor,
    staleAtMs: now + KEY_TTL_MS,
  };
}

const NEGATIVE_TTL_MS = 30_000;
const MAX_NEGATIVE = 10_000;
/** Keys held at most (KEY_CACHE_MAX_KEYS): a compiled key takes about 1.5 KB, so the default stays under 80 MB. */
export const DEFAULT_MAX_KEYS = 50_000;

export type KeyCacheStats = { hits: number; misses: number; negativeHits: number; evictions: number };

/**
 * Bounded (least recently used keys go first, through `lru-cache`) and timed (KEY_TTL_MS). Concurrent loads
 * of one hash are merged here rather than by lru-cache's `fetch`: its in-flight loads are aborted only by a
 * delete of their own hash, while a team-wide or total invalidation must stop every load that raced with it
 * from being cached — the generation below does that.
 */
export class KeyCache {
  private readonly keys: LRUCache<string, CompiledKey>;
  private readonly negative = new LRUCache<string, number>({ max: MAX_NEGATIVE });
  private readonly loading = new Map<string, Promise<CompiledKey | null>>();
  /** Bumped by every invalidation, so a load that raced with one is not cached. */
  private generation = 0;
  /** Plain counters on the hot path; /metrics reads them when scraped. */
  readonly stats: KeyCacheStats = { hits: 0, misses: 0, negativeHits: 0, evictions: 0 };

  constructor(
    private readonly load: (hash: string) => Promise<KeyRow | null>,
    private readonly clock: () => number = Date.now,
    maxKeys = DEFAULT_MAX_KEYS,
  ) {
    this.keys = new LRUCache<string, CompiledKey>({
      max: maxKeys,
      dispose: (_key, _hash, reason) => {
        if (reason === "evict") this.stats.evictions++;
      },
    });
  }

  /**
   * The cached key (a hit), null for a hash known not to be a key, or undefined when it must be loaded (a
   * miss: `get` is the only path that touches the database). Counted in `stats`: call it once per request.
   */
  peek(hash: string, now: number): CompiledKey | null | undefined {
    const found = this.lookup(hash, now);
    if (found === undefined) this.stats.misses++;
    else if (found === null) this.stats.negativeHits++;
    else this.stats.hits++;
    return found;
  }

  private lookup(hash: string, now: number): CompiledKey | null | undefined {
    const key = this.current(hash, now);
    if (key) return key;
    const until = this.negative.get(hash);
    if (until !== undefined) {
      if (until > now) return null;
      this.negative.delete(hash);
    }
    return undefined;
  }

  /** True while `key` is still the entry for its hash: no change dropped it and its lifetime has not ended. */
  holds(key: CompiledKey, now: number): boolean {
    return this.current(key.hash, now) === key;
  }

  private current(hash: string, now: number): CompiledKey | undefined {
    const key = this.keys.get(hash);
    if (!key) return undefined;
    if (key.staleAtMs > now) return key;
    this.keys.delete(hash);
    return undefined;
  }

  async get(hash: string): Promise<CompiledKey | null> {
    const cached = this.lookup(hash, this.clock());
    if (cached !== undefined) return cached;
    let pending = this.loading.get(hash);
    if (!pending) {
      const generation = this.generation;
      pending = this.load(hash).then(
        (row) => {
          this.loading.delete(hash);
          const compiled = row ? compileKey(row, this.clock()) : null;
          if (generation === this.generation) {
            if (compiled) this.keys.set(hash, compiled);
            else this.negative.set(hash, this.clock() + NEGATIVE_TTL_MS);
          }
          return compiled;
        },
        (error: unknown) => {
          this.loading.delete(hash);
          throw error;
        },
      );
      this.loading.set(hash, pending);
    }
    return pending;
  }

  /** From the NOTIFY listener. An empty change (a lost connection) drops everything. */
  invalidate(change: KeyChange): void {
    if (change.upstreamTeamId && !change.hashes && !change.teamId) return;
    this.generation++;
    if (!change.hashes && !change.teamId) {
      this.keys.clear();
      this.negative.clear();
      return;
    }
    for (const hash of change.hashes ?? []) {
      this.keys.delete(hash);
      this.negative.delete(hash);
    }
    if (change.teamId) {
      const ofTeam = [...this.keys.entries()].filter(([, key]) => key.teamId === change.teamId);
      for (const [hash] of ofTeam) this.keys.delete(hash);
    }
  }

  get size(): number {
    return this.keys.size;
  }

  get capacity(): number {
    return this.keys.max;
  }
}
