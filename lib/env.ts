// The environment, parsed once with zod. A bad or missing value stops start-up with a message naming it.
import { z } from "zod";
import { checkKeyringSettings, decodeMasterKey, keyVersionSchema, previousKeysSchema } from "@/lib/crypto/keyring";
import { parseCidr } from "@/lib/keys/scopes";

const base64Key32 = z
  .string()
  .trim()
  // The keyring's own check, so start-up and the keyring never disagree about what a key is.
  .refine((v) => decodeMasterKey(v) !== null, "must be 32 random bytes, base64-encoded");

const envFields = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  // Unset: the embedded PostgreSQL takes 54329, or a free port when that one is busy, on first initialisation
  // and keeps it in DATA_DIR/postgres.json. Set: exactly this port, or a start-up error naming it.
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (e.g. 32 random bytes, base64)"),
  ENCRYPTION_KEY: base64Key32,
  // Key rotation (lib/crypto/keyring.ts): the current key's version, and older keys still needed to read.
  ENCRYPTION_KEY_VERSION: keyVersionSchema.default(1),
  ENCRYPTION_KEY_PREVIOUS: previousKeysSchema.optional(),
  // The master key's age (lib/crypto/master-key-age.ts): when the current key was made (default: when this
  // installation first used its version), and the age after which start-up, /api/ready and /metrics say so.
  ENCRYPTION_KEY_CREATED_AT: z.iso
    .date("must be a date, such as 2026-01-31")
    .or(z.iso.datetime({ offset: true, error: "must be a date, such as 2026-01-31" }))
    .optional(),
  ENCRYPTION_KEY_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  // Unset: http://localhost:$PORT (filled in below), so links follow a changed PORT.
  APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default("Keyward <no-reply@keyward.local>"),
  OPENAI_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .default("https://api.openai.com/v1")
    .transform((url) => url.replace(/\/+$/, "")),
  // Proxies in front of Keyward whose X-Forwarded-For is believed (comma-separated CIDRs); none by default.
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().refine((c) => parseCidr(c) !== null, "must be comma-separated IPv4/IPv6 CIDRs"))),
  // How long the proxy waits for the upstream's response headers.
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(120_000),
  STALLED_CLIENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  // How many member keys the proxy's cache holds at most (the least recently used go first).
  KEY_CACHE_MAX_KEYS: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  // Serve /v1/* from the fast path in server.ts (on) or from Next's route handlers (off).
  PROXY_FAST_PATH: z.enum(["on", "off"]).default("on"),
  // Set by the edge for its web process: "edge" when the edge answers the proxy paths itself, so Next's route
  // handlers refuse them (a second proxy state would count limits and budgets twice). Not for operators.
  KEYWARD_PROXY_OWNER: z.enum(["edge", "web"]).optional(),
  // "off": this server does not LISTEN for key changes made by other servers (one-server installs; the IPC
  // test uses it to prove the in-process path on its own). Changes made through this server still apply.
  KEY_CHANGE_LISTEN: z.enum(["on", "off"]).default("on"),
  // When set, GET /metrics requires "Authorization: Bearer <METRICS_TOKEN>"; unset, it answers loopback only.
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  // Minutes without a request after which a dashboard session ends (ASVS V3.3 / NIST AAL2: 30).
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(30),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

const envSchema = envFields
  .superRefine(checkKeyringSettings)
  .transform((parsed) => ({ ...parsed, APP_URL: parsed.APP_URL ?? `http://localhost:${parsed.PORT}` }));

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** `FOO=` in a .env file means unset, so the default applies. */
function withoutEmpty(source: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""),
  );
}

/** Parses an environment; empty strings count as unset so `FOO=` in a .env file falls back to defaults. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(withoutEmpty(source));
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".");
        // Never echo the value: it may be a secret.
        return issue.code === "invalid_type" && issue.input === undefined
          ? `${name} is missing`
          : `${name} ${issue.message}`;
      }),
    );
  }
  return result.data;
}

/** HOST and PORT alone, for checking the port before anything (secrets, the database) is prepared. */
export function parseListenAddress(source: Record<string, string | undefined>): Pick<Env, "HOST" | "PORT"> {
  const result = envFields.pick({ HOST: true, PORT: true }).safeParse(withoutEmpty(source));
  // A bad value is reported with every other problem by parseEnv; here the defaults stand in.
  return result.success ? result.data : { HOST: "127.0.0.1", PORT: 3000 };
}

/** SESSION_IDLE_MINUTES alone: session checks need it where the secrets may not be configured (tests, tools). */
export function sessionIdleMinutes(source: Record<string, string | undefined> = process.env): number {
  const result = envFields.pick({ SESSION_IDLE_MINUTES: true }).safeParse(withoutEmpty(source));
  // A bad value is reported by parseEnv at start-up; the default stands in here.
  return result.success ? result.data.SESSION_IDLE_MINUTES : 30;
}

let cached: Env | undefined;

/** The process environment, parsed on first use (not at import, so `next build` needs no secrets). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
