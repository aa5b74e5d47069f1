// A team's enabled upstream (OpenAI) keys, decrypted once into memory and chosen by weight. A key that fails
// (401, 429, 5xx, connection error) sits out with exponential backoff, then gets traffic again — that next
// request is its re-check. NOTIFYs drop a team's entry when its keys change.
export type Upstream = {
  id: string;
  teamId: string;
  key: string;
  organizationId: string | null;
  projectId: string | null;
  weight: number;
  failures: number;
  unhealthyUntil: number;
};

export type UpstreamRow = Omit<Upstream, "failures" | "unhealthyUntil">;

const MAX_BACKOFF_MS = 60_000;

export class UpstreamPool {
  private readonly teams = new Map<string, Upstream[]>();
  private readonly loading = new Map<string, Promise<Upstream[]>>();
  private generation = 0;

  constructor(private readonly load: (teamId: string) => Promise<UpstreamRow[]>) {}

  peek(teamId: string): Upstream[] | undefined {
    return this.teams.get(teamId);
  }

  async forTeam(teamId: string): Promise<Upstream[]> {
    const cached = this.teams.get(teamId);
    if (cached) return cached;
    let pending = this.loading.get(teamId);
    if (!pending) {
      const generation = this.generation;
      pending = this.load(teamId)
        .then((rows) => {
          const list = rows.map((row) => ({ ...row, failures: 0, unhealthyUntil: 0 }));
          if (generation === this.generation) this.teams.set(teamId, list);
          return list;
        })
        .finally(() => this.loading.delete(teamId));
      this.loading.set(teamId, pending);
    }
    return pending;
  }

  /** Weighted random among healthy keys other than `exclude`; if none is healthy, the one that recovers first. */
  pick(list: readonly Upstream[], now: number, exclude?: Upstream): Upstream | null {
    let total = 0;
    for (const u of list) if (u !== exclude && u.unhealthyUntil <= now) total += u.weight;
    if (total > 0) {
      let roll = Math.random() * total;
      for (const u of list) {
        if (u === exclude || u.unhealthyUntil > now) continue;
        roll -= u.weight;
        if (roll < 0) return u;
      }
    }
    let best: Upstream | null = null;
    for (const u of list) if (u !== exclude && (!best || u.unhealthyUntil < best.unhealthyUntil)) best = u;
    return best;
  }

  markFailure(upstream: Upstream, now: number): void {
    upstream.failures++;
    upstream.unhealthyUntil = now + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (upstream.failures - 1));
  }

  markSuccess(upstream: Upstream): void {
    if (upstream.failures === 0) return;
    upstream.failures = 0;
    upstream.unhealthyUntil = 0;
  }

  invalidate(teamId?: string): void {
    this.generation++;
    if (teamId) this.teams.delete(teamId);
    else this.teams.clear();
  }
}
