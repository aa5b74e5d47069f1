// What one member API key may do, as plain JSON the proxy checks in memory on every request.
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { ENDPOINT_GROUPS } from "./endpoint-groups";

export { ENDPOINT_GROUPS };
export type EndpointGroup = (typeof ENDPOINT_GROUPS)[number];

/** Ordered: none < read < write. */
export const ACCESS = ["none", "read", "write"] as const;
export type Access = (typeof ACCESS)[number];
export const ACCESS_RANK: Record<Access, number> = { none: 0, read: 1, write: 2 };

export const BUDGET_PERIODS = ["day", "week", "month", "lifetime"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

const listOf = (values: readonly string[]) => values.join(", ");

const quoted = (keys: readonly string[]) => keys.map((key) => `"${key}"`).join(", ");
export const unknownFieldError = (what: string) => (issue: z.core.$ZodRawIssue) =>
  issue.code === "unrecognized_keys" ? `Unknown ${what} field ${quoted(issue.keys)}.` : undefined;

const access = z.enum(ACCESS, `Use one of ${listOf(ACCESS)}.`).optional();
export const endpointsSchema = z.strictObject(
  {
    chat: access,
    responses: access,
    embeddings: access,
    images: access,
    audio: access,
    files: access,
    batches: access,
    moderations: access,
    models: access,
    fine_tuning: access,
    assistants: access,
  } satisfies Record<EndpointGroup, typeof access>,
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `Unknown endpoint group ${quoted(issue.keys)}; use one of ${listOf(ENDPOINT_GROUPS)}.`
        : undefined,
  },
);

const MODEL_PATTERN = /^[A-Za-z0-9._:*/-]{1,100}$/;
export const modelPatternsSchema = z
  .array(
    z.string().regex(MODEL_PATTERN, {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not a valid model pattern: use 1–100 letters, digits, . _ : / - and * wildcards.`,
    }),
  )
  .min(1, "List at least one model, or leave models out to allow any model.")
  .max(50, "List at most 50 model patterns.");

const perMinute = (unit: string) =>
  z
    .number()
    .int(`${unit} must be a whole number.`)
    .positive(`${unit} must be at least 1.`)
    .max(100_000_000, `${unit} is too large.`);
export const limitsSchema = z.strictObject(
  { rpm: perMinute("Requests per minute").optional(), tpm: perMinute("Tokens per minute").optional() },
  { error: unknownFieldError("limits") },
);

export const budgetSchema = z.strictObject(
  {
    amountUsd: z
      .number("Give the budget in US dollars.")
      .positive("A budget must be more than $0.")
      .max(10_000_000, "A budget can be at most $10,000,000.")
      // Exact for any amount typed with two decimals: division is correctly rounded back to the same double.
      .refine((amount) => Math.round(amount * 100) / 100 === amount, "A budget has at most 2 decimals (whole cents)."),
    period: z.enum(BUDGET_PERIODS, `Use one of ${listOf(BUDGET_PERIODS)}.`),
  },
  { error: unknownFieldError("budget") },
);
export type Budget = z.infer<typeof budgetSchema>;

type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type Cidr = [Address, number];

function parseStrict(text: string): Address | null {
  // Strict forms only: ipaddr.parse would also take "10.1" or "0x0a.0.0.1", which no one means.
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  return ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : null;
}

function parseClient(text: string): Address | null {
  const address = parseStrict(text);
  // ::ffff:10.0.0.1 is how a dual-stack socket reports an IPv4 client: treat it as the IPv4 address.
  return address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

/** Parses "10.0.0.0/8", "2001:db8::/32" or a bare address (/32, /128) into its network and prefix length. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf("/");
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const bitsText = slash === -1 ? null : text.slice(slash + 1);
  const raw = addressText.includes("%") ? null : parseStrict(addressText); // a zone id names no range
  if (!raw || (bitsText !== null && !/^\d{1,3}$/.test(bitsText))) return null;
  const bits = bitsText === null ? (raw.kind() === "ipv4" ? 32 : 128) : Number(bitsText);
  if (raw instanceof ipaddr.IPv4)
    return bits > 32 ? null : [ipaddr.IPv4.networkAddressFromCIDR(`${raw.toString()}/${bits}`), bits];
  if (bits > 128) return null;
  if (raw.isIPv4MappedAddress() && bits >= 96) {
    // ::ffff:10.0.0.0/104 is the IPv4 range 10.0.0.0/8; keep one spelling so matching and subset checks agree.
    return [ipaddr.IPv4.networkAddressFromCIDR(`${raw.toIPv4Address().toString()}/${bits - 96}`), bits - 96];
  }
  return [ipaddr.IPv6.networkAddressFromCIDR(`${raw.toString()}/${bits}`), bits];
}

export const formatCidr = ([network, bits]: Cidr): string => `${network.toString()}/${bits}`;

/** Whether `inner` lies wholly inside `outer` (same family, at least as long a prefix, same network bits). */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner[0].kind() === outer[0].kind() && inner[1] >= outer[1] && inner[0].match(outer);
}

export const ipAllowListSchema = z
  .array(
    z
      .string()
      .transform((text, ctx) => {
        const cidr = parseCidr(text.trim());
        if (cidr) return formatCidr(cidr); // stored canonical: 10.1.2.3/8 → 10.0.0.0/8
        ctx.addIssue({ code: "custom", message: `"${text}" is not a valid IPv4 or IPv6 CIDR.` });
        return z.NEVER;
      })
      // What the OpenAPI document shows on both sides: a string in, the canonical string out.
      .meta({ override: { type: "string", description: "An IPv4 or IPv6 CIDR, e.g. 10.0.0.0/8." } }),
  )
  .min(1, "List at least one IP range, or leave ipAllowList out to allow any address.")
  .max(100, "List at most 100 IP ranges.");

export const expiresAtSchema = z.iso
  .datetime({ offset: true, error: "Use an ISO date-time with a time zone, e.g. 2027-01-01T00:00:00Z." })
  .transform((text) => new Date(text).toISOString())
  .meta({ override: { type: "string", format: "date-time" } });

/** Scopes as stored. An expiry in the past parses (the key has expired); creation uses newKeyScopesSchema. */
export const keyScopesSchema = z.strictObject(
  {
    endpoints: endpointsSchema,
    models: modelPatternsSchema.optional(),
    limits: limitsSchema.optional(),
    budget: budgetSchema.optional(),
    expiresAt: expiresAtSchema.optional(),
    ipAllowList: ipAllowListSchema.optional(),
  },
  { error: unknownFieldError("key scope") },
);
export type KeyScopes = z.infer<typeof keyScopesSchema>;

/** Scopes for a key being created now: additionally, the expiry must lie in the future. */
export const newKeyScopesSchema = keyScopesSchema.refine(
  (scopes) => scopes.expiresAt === undefined || Date.parse(scopes.expiresAt) > Date.now(),
  {
    message: "The expiry date must be in the future.",
    path: ["expiresAt"],
  },
);

export function endpointAllows(
  scopes: Pick<KeyScopes, "endpoints">,
  group: EndpointGroup,
  need: "read" | "write",
): boolean {
  return ACCESS_RANK[scopes.endpoints[group] ?? "none"] >= ACCESS_RANK[need];
}

/**
 * Anchored glob match, `*` = any run of characters, in linear-ish time. Deliberately not a RegExp: members
 * choose their own patterns and model names, and `^.*a.*a.*a.*a.*a.*b$` against 200 "a"s backtracks for
 * minutes. Matching the literal pieces left to right (leftmost placement is always safe) cannot blow up.
 */
export function globMatch(pieces: readonly string[], text: string): boolean {
  if (pieces.length === 1) return text === pieces[0];
  const first = pieces[0] ?? "";
  const last = pieces[pieces.length - 1] ?? "";
  const end = text.length - last.length;
  if (end < first.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] ?? "";
    const found = text.indexOf(piece, at);
    if (found === -1 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** Compiles an allow-list once per key; undefined means any model. */
export function compileModelMatcher(patterns: readonly string[] | undefined): (model: string) => boolean {
  if (patterns === undefined) return () => true;
  const exact = new Set(patterns.filter((p) => !p.includes("*")));
  const globs = patterns.filter((p) => p.includes("*")).map((p) => p.split("*"));
  return (model) => exact.has(model) || globs.some((pieces) => globMatch(pieces, model));
}

export function modelAllowed(patterns: readonly string[] | undefined, model: string): boolean {
  return compileModelMatcher(patterns)(model);
}

/** Compiles an allow-list once per key; undefined means any address. Unparsable entries allow nothing. */
export function compileIpMatcher(cidrs: readonly string[] | undefined): (ip: string) => boolean {
  if (cidrs === undefined) return () => true;
  const ranges = cidrs.map(parseCidr).filter((cidr): cidr is Cidr => cidr !== null);
  return (ip) => {
    const address = parseClient(ip);
    return address !== null && ranges.some((range) => range[0].kind() === address.kind() && address.match(range));
  };
}

export function ipAllowed(cidrs: readonly string[] | undefined, ip: string): boolean {
  return compileIpMatcher(cidrs)(ip);
}

const DOLLARS = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const CENTS = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2 });
const COUNT = new Intl.NumberFormat("en-US");

/** "$5", "$2.50". */
export const formatUsd = (amount: number): string => (Number.isInteger(amount) ? DOLLARS : CENTS).format(amount);

export function formatBudget({ amountUsd, period }: Budget): string {
  const amount = formatUsd(amountUsd);
  return period === "lifetime" ? `${amount} lifetime` : `${amount}/${period}`;
}

/** One line for the key list: "chat: write · models: gpt-4o-mini · 10 rpm · $5/month · expires 2027-01-01 · 1 IP range". */
export function summarizeScopes(scopes: KeyScopes): string {
  const granted = ENDPOINT_GROUPS.flatMap((group) => {
    const access = scopes.endpoints[group] ?? "none";
    return access === "none" ? [] : [[group, access] as const];
  });
  const allSame =
    granted.length === ENDPOINT_GROUPS.length && granted.every(([, access]) => access === granted[0]?.[1]);
  const parts = [
    granted.length === 0
      ? "no endpoints"
      : allSame
        ? `all endpoints: ${granted[0]?.[1]}`
        : granted.map(([group, access]) => `${group}: ${access}`).join(", "),
  ];
  if (scopes.models) {
    const shown = scopes.models.slice(0, 3).join(", ");
    parts.push(`models: ${shown}${scopes.models.length > 3 ? ` +${scopes.models.length - 3} more` : ""}`);
  }
  if (scopes.limits?.rpm !== undefined) parts.push(`${COUNT.format(scopes.limits.rpm)} rpm`);
  if (scopes.limits?.tpm !== undefined) parts.push(`${COUNT.format(scopes.limits.tpm)} tpm`);
  if (scopes.budget) parts.push(formatBudget(scopes.budget));
  if (scopes.expiresAt) parts.push(`expires ${scopes.expiresAt.slice(0, 10)}`);
  if (scopes.ipAllowList)
    parts.push(`${scopes.ipAllowList.length} IP range${scopes.ipAllowList.length === 1 ? "" : "s"}`);
  return parts.join(" · ");
}

/** Whether a key may do more than read (step-up asks again before such a key is created or widened). */
export function widerThanReadOnly(scopes: Pick<KeyScopes, "endpoints">): boolean {
  return Object.values(scopes.endpoints).some(
    (access) => access !== undefined && ACCESS_RANK[access] > ACCESS_RANK.read,
  );
}
