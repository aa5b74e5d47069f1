// The proxy's view of member keys: hash → compiled key, in memory. A miss loads one row (and caches a
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

export type CompiledKey = {
  id: string;
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
  /** When the cache may no longer answer with this entry without reloading it. */
  staleAtMs: number;
};

export type KeyRow = {
  id: string;
  teamId: string;
  userId: string | null;
  hash: string;
  scopes: unknown;
  expiresAt: Date | null;
  createdAt: Date;
  /** The team's key policy (null: the default) and the holder's role in the team, as they are now. */
  keyPolicy: unknown;
  role: Role;
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
  const policyIp = effective.alsoIpAllowList ? compileIpMatcher(effective.alsoIpAllowList) : null;
  return {
    id: row.id,
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
    expiresAtMs: scopes.expiresAt ? Date.parse(scopes.expiresAt) : null,
    staleAtMs: now + KEY_TTL_MS,
  };
}

const NEGATIVE_TTL_MS = 30_000;
const MAX_NEGATIVE = 10_000;

export class KeyCache {
  private readonly keys = new Map<string, CompiledKey>();
  private readonly negative = new Map<string, number>();
  private readonly loading = new Map<string, Promise<CompiledKey | null>>();
  /** Bumped by every invalidation, so a load that raced with one is not cached. */
  private generation = 0;

  constructor(
    private readonly load: (hash: string) => Promise<KeyRow | null>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached key, or undefined when it must be loaded (the only path that touches the database). */
  peek(hash: string, now: number): CompiledKey | null | undefined {
    const key = this.keys.get(hash);
    if (key) {
      if (key.staleAtMs > now) return key;
      this.keys.delete(hash);
      return undefined;
    }
    const until = this.negative.get(hash);
    if (until !== undefined) {
      if (until > now) return null;
      this.negative.delete(hash);
    }
    return undefined;
  }

  async get(hash: string): Promise<CompiledKey | null> {
    const cached = this.peek(hash, this.clock());
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
            else {
              if (this.negative.size >= MAX_NEGATIVE) this.negative.clear();
              this.negative.set(hash, this.clock() + NEGATIVE_TTL_MS);
            }
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
    if (change.teamId) for (const [hash, key] of this.keys) if (key.teamId === change.teamId) this.keys.delete(hash);
  }

  get size(): number {
    return this.keys.size;
  }
}
