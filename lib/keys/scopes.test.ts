import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  compileIpMatcher,
  compileModelMatcher,
  endpointAllows,
  ipAllowed,
  keyScopesSchema,
  modelAllowed,
  newKeyScopesSchema,
  parseCidr,
  summarizeScopes,
  type KeyScopes,
} from "./scopes";

function messages(input: unknown, schema: z.ZodType = keyScopesSchema): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("keyScopesSchema", () => {
  it("accepts a full set of scopes and keeps it JSON-serialisable", () => {
    const scopes = {
      endpoints: { chat: "write", embeddings: "read", models: "none" },
      models: ["gpt-4o-mini", "text-embedding-3-*", "ft:gpt-4o-mini:acme::abc/1"],
      limits: { rpm: 10, tpm: 20_000 },
      budget: { amountUsd: 5.25, period: "month" },
      expiresAt: "2027-01-01T00:00:00Z",
      ipAllowList: ["10.0.0.0/8", "2001:db8::/32", "192.168.1.7"],
    };
    const parsed = keyScopesSchema.parse(scopes);
    expect(parsed.expiresAt).toBe("2027-01-01T00:00:00.000Z");
    expect(parsed.ipAllowList).toEqual(["10.0.0.0/8", "2001:db8::/32", "192.168.1.7/32"]);
    expect(keyScopesSchema.parse(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
  });

  it("names an unknown endpoint group and lists the valid ones", () => {
    const [message] = messages({ endpoints: { chat: "write", speech: "read" } });
    expect(message).toContain('Unknown endpoint group "speech"');
    expect(message).toContain("chat, responses, embeddings");
  });

  it("rejects unknown fields at every level", () => {
    expect(messages({ endpoints: {}, admin: true })).toEqual([': Unknown key scope field "admin".']);
    expect(messages({ endpoints: {}, limits: { rpd: 5 } })).toEqual(['limits: Unknown limits field "rpd".']);
    expect(messages({ endpoints: {}, budget: { amountUsd: 1, period: "day", hard: true } })).toEqual([
      'budget: Unknown budget field "hard".',
    ]);
  });

  it("rejects an unknown access level", () => {
    expect(messages({ endpoints: { chat: "admin" } })).toEqual(["endpoints.chat: Use one of none, read, write."]);
  });

  it.each([
    ["300.0.0.1/8"],
    ["10.0.0.0/33"],
    ["2001:db8::/129"],
    ["10.1/16"],
    ["0x0a.0.0.0/8"],
    ["fe80::1%eth0/64"],
    ["10.0.0.0/"],
    ["10.0.0.0/-1"],
    ["example.com"],
  ])("rejects the bad CIDR %s with a clear message", (cidr) => {
    expect(messages({ endpoints: {}, ipAllowList: [cidr] })).toEqual([
      `ipAllowList.0: "${cidr}" is not a valid IPv4 or IPv6 CIDR.`,
    ]);
  });

  it.each([
    [0, "A budget must be more than $0."],
    [-5, "A budget must be more than $0."],
    [1.234, "A budget has at most 2 decimals (whole cents)."],
  ])("rejects the budget %s", (amountUsd, message) => {
    expect(messages({ endpoints: {}, budget: { amountUsd, period: "month" } })).toEqual([
      `budget.amountUsd: ${message}`,
    ]);
  });

  it("accepts budgets with up to two decimals", () => {
    for (const amountUsd of [0.01, 0.29, 1.1, 19.99, 1234.56])
      expect(messages({ endpoints: {}, budget: { amountUsd, period: "day" } })).toEqual([]);
  });

  it("checks model patterns: characters, length, count, and not an empty list", () => {
    expect(messages({ endpoints: {}, models: ["gpt 4o"] })[0]).toContain('"gpt 4o" is not a valid model pattern');
    expect(messages({ endpoints: {}, models: ["a".repeat(101)] })).toHaveLength(1);
    expect(messages({ endpoints: {}, models: Array.from({ length: 51 }, (_, i) => `m${i}`) })).toEqual([
      "models: List at most 50 model patterns.",
    ]);
    expect(messages({ endpoints: {}, models: [] })).toEqual([
      "models: List at least one model, or leave models out to allow any model.",
    ]);
  });

  it("wants positive whole rate limits", () => {
    expect(messages({ endpoints: {}, limits: { rpm: 0 } })).toEqual([
      "limits.rpm: Requests per minute must be at least 1.",
    ]);
    expect(messages({ endpoints: {}, limits: { tpm: 1.5 } })).toEqual([
      "limits.tpm: Tokens per minute must be a whole number.",
    ]);
  });

  it("wants an expiry with a time zone, and in the future only when creating", () => {
    expect(messages({ endpoints: {}, expiresAt: "2027-01-01T00:00:00" })).toHaveLength(1);
    expect(messages({ endpoints: {}, expiresAt: "2020-01-01T00:00:00Z" })).toEqual([]); // a stored, expired key still parses
    expect(messages({ endpoints: {}, expiresAt: "2020-01-01T00:00:00Z" }, newKeyScopesSchema)).toEqual([
      "expiresAt: The expiry date must be in the future.",
    ]);
    expect(messages({ endpoints: {}, expiresAt: "2999-01-01T00:00:00+02:00" }, newKeyScopesSchema)).toEqual([]);
  });
});

describe("endpointAllows", () => {
  const scopes: KeyScopes = { endpoints: { chat: "write", embeddings: "read", images: "none" } };
  it("orders none < read < write, and a missing group is none", () => {
    expect(endpointAllows(scopes, "chat", "write")).toBe(true);
    expect(endpointAllows(scopes, "chat", "read")).toBe(true);
    expect(endpointAllows(scopes, "embeddings", "read")).toBe(true);
    expect(endpointAllows(scopes, "embeddings", "write")).toBe(false);
    expect(endpointAllows(scopes, "images", "read")).toBe(false);
    expect(endpointAllows(scopes, "audio", "read")).toBe(false);
  });
});

describe("model allow-lists", () => {
  it("allows any model without a list", () => {
    expect(modelAllowed(undefined, "anything")).toBe(true);
  });

  it("matches exact names and anchored * wildcards", () => {
    const allowed = compileModelMatcher(["gpt-4o-mini", "text-embedding-3-*", "*-preview", "ft:*:acme:*"]);
    for (const model of [
      "gpt-4o-mini",
      "text-embedding-3-small",
      "text-embedding-3-",
      "o1-preview",
      "ft:gpt-4o:acme:x1",
    ])
      expect(allowed(model), model).toBe(true);
    for (const model of [
      "gpt-4o",
      "gpt-4o-mini-2024",
      "xgpt-4o-mini",
      "text-embedding-ada-002",
      "o1-preview-x",
      "ft:gpt-4o:other:x1",
      "",
    ]) {
      expect(allowed(model), model).toBe(false);
    }
  });

  it("treats regex characters in patterns literally", () => {
    expect(modelAllowed(["gpt-4.1"], "gpt-4x1")).toBe(false);
    expect(modelAllowed(["gpt-4.1*"], "gpt-4.1-mini")).toBe(true);
  });

  it("handles several wildcards, in order, without overlapping pieces", () => {
    expect(modelAllowed(["a*b*c"], "aXbYc")).toBe(true);
    expect(modelAllowed(["a*b*c"], "abc")).toBe(true);
    expect(modelAllowed(["a*b*c"], "acb")).toBe(false);
    expect(modelAllowed(["ab*ba"], "aba")).toBe(false); // the prefix and suffix may not share a character
    expect(modelAllowed(["*"], "")).toBe(true);
  });

  it("stays fast on patterns that make backtracking regexes explode", () => {
    const started = performance.now();
    const long = "a".repeat(100_000);
    expect(modelAllowed(["*a*a*a*a*a*a*a*a*b"], long)).toBe(false);
    expect(modelAllowed(["*a*a*a*a*a*a*a*a*b"], `${long}b`)).toBe(true);
    expect(modelAllowed(["*a*a*a*a*a*a*a*c*b"], `${long}b`)).toBe(false);
    // The linear matcher takes well under a millisecond here, a backtracking one hours: a bound of seconds
    // tells them apart on any machine, however busy (a tight bound would measure the machine instead).
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("IP allow-lists", () => {
  it("allows any address without a list, and nothing for an unparsable client address", () => {
    expect(ipAllowed(undefined, "203.0.113.9")).toBe(true);
    expect(ipAllowed(["0.0.0.0/0"], "not an ip")).toBe(false);
    expect(ipAllowed(["0.0.0.0/0"], "10.1")).toBe(false);
  });

  it("matches IPv4 ranges and bare addresses", () => {
    const allowed = compileIpMatcher(["10.0.0.0/8", "192.168.1.7"]);
    expect(allowed("10.255.3.4")).toBe(true);
    expect(allowed("11.0.0.1")).toBe(false);
    expect(allowed("192.168.1.7")).toBe(true);
    expect(allowed("192.168.1.8")).toBe(false);
  });

  it("matches IPv6 ranges, whatever the spelling", () => {
    const allowed = compileIpMatcher(["2001:db8::/32", "::1"]);
    expect(allowed("2001:db8:ffff::1")).toBe(true);
    expect(allowed("2001:DB8:0:0:0:0:0:1")).toBe(true);
    expect(allowed("2001:db9::1")).toBe(false);
    expect(allowed("::1")).toBe(true);
    expect(allowed("::2")).toBe(false);
    expect(ipAllowed(["fe80::/10"], "fe80::1%eth0")).toBe(true); // a link-local client with its zone id
  });

  it("matches IPv4-mapped IPv6 clients against IPv4 ranges, and mapped ranges against IPv4 clients", () => {
    expect(ipAllowed(["10.0.0.0/8"], "::ffff:10.0.0.1")).toBe(true);
    expect(ipAllowed(["10.0.0.0/8"], "::ffff:0a00:0001")).toBe(true);
    expect(ipAllowed(["10.0.0.0/8"], "::ffff:11.0.0.1")).toBe(false);
    expect(ipAllowed(["::ffff:10.0.0.0/104"], "10.20.30.40")).toBe(true);
    expect(ipAllowed(["::ffff:10.0.0.0/104"], "11.0.0.1")).toBe(false);
  });

  it("never matches across families", () => {
    expect(ipAllowed(["::/0"], "10.0.0.1")).toBe(false);
    expect(ipAllowed(["0.0.0.0/0"], "2001:db8::1")).toBe(false);
  });

  it("stores ranges in one canonical spelling", () => {
    expect(
      keyScopesSchema.parse({
        endpoints: {},
        ipAllowList: ["10.1.2.3/8", "2001:DB8::5/32", "::ffff:10.0.0.0/104", " 10.0.0.1 "],
      }).ipAllowList,
    ).toEqual(["10.0.0.0/8", "2001:db8::/32", "10.0.0.0/8", "10.0.0.1/32"]);
    expect(parseCidr("10.0.0.0/8")?.[1]).toBe(8);
  });
});

describe("summarizeScopes", () => {
  it("puts every restriction on one line", () => {
    const scopes = keyScopesSchema.parse({
      endpoints: { chat: "write" },
      models: ["gpt-4o-mini"],
      limits: { rpm: 10 },
      budget: { amountUsd: 5, period: "month" },
      expiresAt: "2027-01-01T00:00:00Z",
      ipAllowList: ["10.0.0.0/8"],
    });
    expect(summarizeScopes(scopes)).toBe(
      "chat: write · models: gpt-4o-mini · 10 rpm · $5/month · expires 2027-01-01 · 1 IP range",
    );
  });

  it("shortens the common cases", () => {
    const all = Object.fromEntries(
      [
        "chat",
        "responses",
        "embeddings",
        "images",
        "audio",
        "files",
        "batches",
        "moderations",
        "models",
        "fine_tuning",
        "assistants",
      ].map((g) => [g, "read"]),
    );
    expect(summarizeScopes({ endpoints: all })).toBe("all endpoints: read");
    expect(summarizeScopes({ endpoints: {} })).toBe("no endpoints");
    expect(
      summarizeScopes({
        endpoints: { chat: "write", embeddings: "read" },
        models: ["a", "b", "c", "d", "e"],
        limits: { tpm: 20_000 },
        budget: { amountUsd: 2.5, period: "lifetime" },
        ipAllowList: ["10.0.0.0/8", "::1/128"],
      }),
    ).toBe("chat: write, embeddings: read · models: a, b, c +2 more · 20,000 tpm · $2.50 lifetime · 2 IP ranges");
  });
});
