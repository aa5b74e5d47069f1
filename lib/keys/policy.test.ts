import { describe, expect, it } from "vitest";
import {
  applyCeiling,
  effectiveScopes,
  DEFAULT_TEAM_POLICY,
  patternCovered,
  ROLE_CEILING,
  teamKeyPolicySchema,
  type TeamKeyPolicy,
} from "./policy";
import { ENDPOINT_GROUPS, type KeyScopes } from "./scopes";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

const POLICY: TeamKeyPolicy = teamKeyPolicySchema.parse({
  endpoints: { chat: "write", embeddings: "write", images: "read" },
  models: ["gpt-4o-mini", "text-embedding-*"],
  limits: { rpm: 60, tpm: 100_000 },
  budget: { amountUsd: 100, period: "month" },
  maxLifetimeDays: 90,
  ipAllowList: ["10.0.0.0/8", "2001:db8::/32"],
});

function apply(requested: KeyScopes, policy: TeamKeyPolicy = POLICY, role: keyof typeof ROLE_CEILING = "member") {
  return applyCeiling(requested, policy, role, NOW);
}

function problems(
  requested: KeyScopes,
  policy: TeamKeyPolicy = POLICY,
  role: keyof typeof ROLE_CEILING = "member",
): string[] {
  const result = apply(requested, policy, role);
  return result.ok ? [] : result.problems.map((p) => `${p.path} | ${p.message}`);
}

function scopesOf(
  requested: KeyScopes,
  policy: TeamKeyPolicy = POLICY,
  role: keyof typeof ROLE_CEILING = "member",
): KeyScopes {
  const result = apply(requested, policy, role);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
  return result.scopes;
}

describe("the default policy and role ceilings", () => {
  it("lets every group write, any model, no other limits", () => {
    expect(teamKeyPolicySchema.parse(DEFAULT_TEAM_POLICY)).toEqual(DEFAULT_TEAM_POLICY);
    for (const group of ENDPOINT_GROUPS) expect(DEFAULT_TEAM_POLICY.endpoints[group]).toBe("write");
    expect(Object.keys(DEFAULT_TEAM_POLICY)).toEqual(["endpoints"]);
    expect(scopesOf({ endpoints: { chat: "write" } }, DEFAULT_TEAM_POLICY, "owner")).toEqual({
      endpoints: { chat: "write" },
    });
  });

  it("cannot be changed by accident", () => {
    expect(Object.isFrozen(DEFAULT_TEAM_POLICY) && Object.isFrozen(DEFAULT_TEAM_POLICY.endpoints)).toBe(true);
  });

  it("gives viewers read keys only, even under the default policy", () => {
    expect(ROLE_CEILING).toEqual({ owner: "write", admin: "write", member: "write", viewer: "read", auditor: "none" });
    expect(problems({ endpoints: { chat: "write", models: "read" } }, DEFAULT_TEAM_POLICY, "viewer")).toEqual([
      "endpoints.chat | write exceeds what a viewer may hold (read).",
    ]);
    expect(scopesOf({ endpoints: { chat: "read", models: "read" } }, DEFAULT_TEAM_POLICY, "viewer").endpoints).toEqual({
      chat: "read",
      models: "read",
    });
  });

  it("rejects unknown policy fields and nonsense lifetimes", () => {
    expect(
      teamKeyPolicySchema.safeParse({ endpoints: {}, expiresAt: "2027-01-01T00:00:00Z" }).error?.issues[0]?.message,
    ).toBe('Unknown key policy field "expiresAt".');
    expect(teamKeyPolicySchema.safeParse({ endpoints: {}, maxLifetimeDays: 0 }).error?.issues[0]?.message).toBe(
      "Keys must live at least 1 day.",
    );
  });
});

describe("applyCeiling: endpoints", () => {
  it("accepts equal or narrower access and drops groups with none", () => {
    expect(scopesOf({ endpoints: { chat: "read", images: "read", audio: "none" } }).endpoints).toEqual({
      chat: "read",
      images: "read",
    });
  });

  it("refuses wider access than the policy, naming the field", () => {
    expect(problems({ endpoints: { images: "write", audio: "read" } })).toEqual([
      "endpoints.images | write exceeds the team policy (read).",
      "endpoints.audio | read exceeds the team policy (none).",
    ]);
  });
});

describe("applyCeiling: models", () => {
  it("accepts exact names and narrower patterns the policy covers", () => {
    expect(
      scopesOf({ endpoints: {}, models: ["gpt-4o-mini", "text-embedding-3-*", "text-embedding-3-small"] }).models,
    ).toEqual(["gpt-4o-mini", "text-embedding-3-*", "text-embedding-3-small"]);
  });

  it("refuses wider or unrelated patterns", () => {
    expect(problems({ endpoints: {}, models: ["gpt-4o-*", "*", "gpt-4o"] })).toEqual([
      'models | "gpt-4o-*" is not covered by the team policy (gpt-4o-mini, text-embedding-*).',
      'models | "*" is not covered by the team policy (gpt-4o-mini, text-embedding-*).',
      'models | "gpt-4o" is not covered by the team policy (gpt-4o-mini, text-embedding-*).',
    ]);
  });

  it("inherits the policy's models when none are listed", () => {
    expect(scopesOf({ endpoints: {} }).models).toEqual(["gpt-4o-mini", "text-embedding-*"]);
    expect(scopesOf({ endpoints: {} }, DEFAULT_TEAM_POLICY).models).toBeUndefined();
  });

  it.each([
    ["text-embedding-3-*", "text-embedding-*", true],
    ["text-embedding-*", "*", true],
    ["text-embedding-3-small", "text-embedding-*", true],
    ["gpt-4o", "gpt-4o", true],
    ["gpt-*-mini", "gpt-*", true],
    ["a*b*c", "a*c", true],
    ["*", "*", true],
    ["text-embedding-*", "text-embedding-3-*", false],
    ["gpt-*", "gpt-4o", false],
    ["*", "gpt-*", false],
    ["gpt-*", "*-mini", false],
    ["a*c", "a*b*c", false],
  ])("%s ⊆ %s is %s", (inner, outer, covered) => {
    expect(patternCovered(inner, outer)).toBe(covered);
  });
});

describe("applyCeiling: rate limits", () => {
  it("accepts lower limits and inherits the missing one", () => {
    expect(scopesOf({ endpoints: {}, limits: { rpm: 10 } }).limits).toEqual({ rpm: 10, tpm: 100_000 });
    expect(scopesOf({ endpoints: {}, limits: { rpm: 60, tpm: 5 } }).limits).toEqual({ rpm: 60, tpm: 5 });
  });

  it("refuses higher limits", () => {
    expect(problems({ endpoints: {}, limits: { rpm: 61, tpm: 200_000 } })).toEqual([
      "limits.rpm | 61 exceeds the team policy (60).",
      "limits.tpm | 200000 exceeds the team policy (100000).",
    ]);
  });

  it("inherits the policy's limits when none are asked for, and keeps a key's own under an unlimited policy", () => {
    expect(scopesOf({ endpoints: {} }).limits).toEqual({ rpm: 60, tpm: 100_000 });
    expect(scopesOf({ endpoints: {}, limits: { tpm: 7 } }, DEFAULT_TEAM_POLICY).limits).toEqual({ tpm: 7 });
    expect(scopesOf({ endpoints: {} }, DEFAULT_TEAM_POLICY).limits).toBeUndefined();
  });
});

describe("applyCeiling: budget", () => {
  const month100 = { ...POLICY, budget: { amountUsd: 100, period: "month" as const } };
  const budgetProblems = (
    amountUsd: number,
    period: "day" | "week" | "month" | "lifetime",
    policy: TeamKeyPolicy = month100,
  ) => problems({ endpoints: {}, budget: { amountUsd, period } }, policy);

  it("compares amounts directly for the same period", () => {
    expect(budgetProblems(100, "month")).toEqual([]);
    expect(budgetProblems(100.01, "month")).toEqual(["budget | $100.01/month exceeds the team policy ($100/month)."]);
  });

  it("multiplies shorter periods by how many fit in the policy's (31 days, 6 weeks in a month)", () => {
    expect(budgetProblems(3.22, "day")).toEqual([]); // 31 × 3.22 = 99.82
    expect(budgetProblems(3.23, "day")).toEqual([
      "budget | $3.23/day can add up to $100.13 in one month, which exceeds the team policy ($100/month).",
    ]);
    expect(budgetProblems(16.66, "week")).toEqual([]); // 6 × 16.66 = 99.96
    expect(budgetProblems(16.67, "week")).toHaveLength(1);
  });

  it("counts a month straddling a week twice, and a longer key period once against a day", () => {
    const week = { ...POLICY, budget: { amountUsd: 50, period: "week" as const } };
    expect(budgetProblems(25, "month", week)).toEqual([]);
    expect(budgetProblems(25.01, "month", week)).toEqual([
      "budget | $25.01/month can add up to $50.02 in one week, which exceeds the team policy ($50/week).",
    ]);
    const day = { ...POLICY, budget: { amountUsd: 10, period: "day" as const } };
    expect(budgetProblems(10, "month", day)).toEqual([]);
    expect(budgetProblems(10.5, "week", day)).toHaveLength(1);
  });

  it("lets a lifetime budget fit any period up to the amount, and no periodic budget fit a lifetime cap", () => {
    expect(budgetProblems(100, "lifetime")).toEqual([]);
    expect(budgetProblems(101, "lifetime")).toHaveLength(1);
    const lifetime = { ...POLICY, budget: { amountUsd: 1000, period: "lifetime" as const } };
    expect(budgetProblems(1, "day", lifetime)).toEqual([
      "budget | $1/day has no lifetime total, so it cannot fit the team policy ($1,000 lifetime); use a lifetime budget.",
    ]);
    expect(budgetProblems(1000, "lifetime", lifetime)).toEqual([]);
  });

  it("inherits the policy's budget when none is asked for", () => {
    expect(scopesOf({ endpoints: {} }, month100).budget).toEqual({ amountUsd: 100, period: "month" });
    expect(scopesOf({ endpoints: {}, budget: { amountUsd: 3, period: "day" } }).budget).toEqual({
      amountUsd: 3,
      period: "day",
    });
  });
});

describe("applyCeiling: expiry", () => {
  it("accepts an expiry within the policy's lifetime and inherits the longest one otherwise", () => {
    expect(scopesOf({ endpoints: {}, expiresAt: inDays(30) }).expiresAt).toBe(inDays(30));
    expect(scopesOf({ endpoints: {}, expiresAt: inDays(90) }).expiresAt).toBe(inDays(90));
    expect(scopesOf({ endpoints: {} }).expiresAt).toBe(inDays(90));
    expect(scopesOf({ endpoints: {} }, DEFAULT_TEAM_POLICY).expiresAt).toBeUndefined();
  });

  it("refuses an expiry beyond the policy's lifetime, or in the past", () => {
    expect(problems({ endpoints: {}, expiresAt: inDays(91) })).toEqual([
      "expiresAt | 2026-08-31 is later than the team policy allows (at most 90 days, until 2026-08-30).",
    ]);
    expect(problems({ endpoints: {}, expiresAt: inDays(-1) }, DEFAULT_TEAM_POLICY)).toEqual([
      "expiresAt | the expiry must be in the future.",
    ]);
    expect(problems({ endpoints: {}, expiresAt: NOW.toISOString() }, DEFAULT_TEAM_POLICY)).toHaveLength(1);
  });
});

describe("applyCeiling: IP ranges", () => {
  it("accepts ranges inside the policy's, in either family", () => {
    expect(
      scopesOf({ endpoints: {}, ipAllowList: ["10.1.0.0/16", "10.2.3.4/32", "2001:db8:1::/48"] }).ipAllowList,
    ).toEqual(["10.1.0.0/16", "10.2.3.4/32", "2001:db8:1::/48"]);
  });

  it("refuses wider, outside or other-family ranges", () => {
    expect(problems({ endpoints: {}, ipAllowList: ["0.0.0.0/0", "11.0.0.0/8", "2001:db9::/32", "::/0"] })).toEqual(
      ["0.0.0.0/0", "11.0.0.0/8", "2001:db9::/32", "::/0"].map(
        (range) => `ipAllowList | ${range} is not inside the team policy's ranges (10.0.0.0/8, 2001:db8::/32).`,
      ),
    );
  });

  it("inherits the policy's ranges when none are listed", () => {
    expect(scopesOf({ endpoints: {} }).ipAllowList).toEqual(["10.0.0.0/8", "2001:db8::/32"]);
    expect(scopesOf({ endpoints: {}, ipAllowList: ["192.0.2.0/24"] }, DEFAULT_TEAM_POLICY).ipAllowList).toEqual([
      "192.0.2.0/24",
    ]);
  });
});

describe("applyCeiling: everything at once", () => {
  it("turns an unlimited request into exactly the policy's limits", () => {
    expect(scopesOf({ endpoints: { chat: "write" } })).toEqual({
      endpoints: { chat: "write" },
      models: ["gpt-4o-mini", "text-embedding-*"],
      limits: { rpm: 60, tpm: 100_000 },
      budget: { amountUsd: 100, period: "month" },
      expiresAt: inDays(90),
      ipAllowList: ["10.0.0.0/8", "2001:db8::/32"],
    });
  });

  it("reports every problem, not just the first", () => {
    const found = problems(
      { endpoints: { chat: "write", images: "write" }, models: ["*"], limits: { rpm: 1000 }, expiresAt: inDays(365) },
      POLICY,
      "viewer",
    );
    expect(found.map((line) => line.split(" | ")[0])).toEqual([
      "endpoints.chat",
      "endpoints.images",
      "models",
      "limits.rpm",
      "expiresAt",
    ]);
  });

  it("returns a copy: changing the result never changes the policy", () => {
    const scopes = scopesOf({ endpoints: {} });
    scopes.models?.push("*");
    scopes.ipAllowList?.push("0.0.0.0/0");
    expect(POLICY.models).toEqual(["gpt-4o-mini", "text-embedding-*"]);
    expect(POLICY.ipAllowList).toEqual(["10.0.0.0/8", "2001:db8::/32"]);
  });
});

describe("effectiveScopes (ceilings on keys that already exist)", () => {
  const created = new Date(NOW.getTime() - 10 * DAY);
  const wide: KeyScopes = {
    endpoints: { chat: "write", embeddings: "write", models: "read" },
    models: ["gpt-*"],
    limits: { rpm: 500 },
    budget: { amountUsd: 1000, period: "month" },
    ipAllowList: ["10.0.0.0/8"],
  };

  it("leaves a key inside every ceiling as it is", () => {
    const own: KeyScopes = { endpoints: { chat: "write" } };
    expect(effectiveScopes(own, DEFAULT_TEAM_POLICY, "member", created)).toEqual({ scopes: own, narrowed: [] });
  });

  it("narrows a viewer's keys to read, and says the role did it", () => {
    const result = effectiveScopes(
      { endpoints: { chat: "write", models: "read" } },
      DEFAULT_TEAM_POLICY,
      "viewer",
      created,
    );
    expect(result.scopes.endpoints).toEqual({ chat: "read", models: "read" });
    expect(result.narrowed).toEqual([
      { field: "endpoints.chat", by: "role", message: "chat: write → read (the holder is a viewer)" },
    ]);
  });

  it("narrows to the team policy: groups, limits, budget, lifetime; models and addresses must match both", () => {
    const policy = teamKeyPolicySchema.parse({
      endpoints: { chat: "read", embeddings: "write" },
      models: ["gpt-4o-mini"],
      limits: { rpm: 60 },
      budget: { amountUsd: 100, period: "month" },
      maxLifetimeDays: 30,
      ipAllowList: ["10.1.0.0/16"],
    });
    const result = effectiveScopes(wide, policy, "member", created);
    expect(result.scopes).toEqual({
      endpoints: { chat: "read", embeddings: "write" },
      models: ["gpt-*"],
      limits: { rpm: 60 },
      budget: { amountUsd: 100, period: "month" },
      expiresAt: new Date(created.getTime() + 30 * DAY).toISOString(),
      ipAllowList: ["10.0.0.0/8"],
    });
    expect(result.alsoModels).toEqual(["gpt-4o-mini"]);
    expect(result.alsoIpAllowList).toEqual(["10.1.0.0/16"]);
    expect(result.narrowed.map((n) => [n.field, n.by])).toEqual([
      ["endpoints.chat", "policy"],
      ["endpoints.models", "policy"],
      ["models", "policy"],
      ["ipAllowList", "policy"],
      ["limits.rpm", "policy"],
      ["budget", "policy"],
      ["expiresAt", "policy"],
    ]);
  });

  it("never widens: whatever the ceilings, each group is at most the key's own access", () => {
    for (const role of ["owner", "admin", "member", "viewer"] as const)
      for (const group of ENDPOINT_GROUPS) {
        const own: KeyScopes = { endpoints: { [group]: "read" } };
        const result = effectiveScopes(own, DEFAULT_TEAM_POLICY, role, created);
        expect(result.scopes.endpoints[group]).toBe("read");
        expect(Object.keys(result.scopes.endpoints)).toEqual([group]);
      }
  });
});
