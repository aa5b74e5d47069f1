// The one logger: JSON lines through pino, with secrets redacted by field name and by shape.
import pino from "pino";

// Field names whose values never reach a log line, wherever they sit in the logged object.
const SECRET_FIELDS = [
  "password",
  "newPassword",
  "currentPassword",
  "passwordHash",
  "token",
  "secret",
  "apiKey",
  "key",
  "authorization",
  "cookie",
  "set-cookie",
  "encryptionKey",
  "ENCRYPTION_KEY",
  "AUTH_SECRET",
  "DATABASE_URL",
  "connectionString",
  "url",
  "totp",
  "code",
];

// Shapes of secrets that could hide inside a free-text message or an error.
const SECRET_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI keys (sk-, sk-proj-, sk-svcacct-)
  /\bkw_[A-Za-z0-9_]{8,}/g, // Keyward keys
  /\b(postgres(?:ql)?|smtps?):\/\/[^\s"']+/gi, // connection strings carry passwords
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];

export function redactText(text: string): string {
  return SECRET_PATTERNS.reduce((out, pattern) => out.replace(pattern, "[redacted]"), text);
}

function safeStringify(value: unknown): string {
  try {
    return typeof value === "string" ? value : JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function level(): pino.LevelWithSilent {
  const value = process.env.LOG_LEVEL;
  const levels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
  return levels.find((l) => l === value) ?? "info";
}

export const logger = pino({
  level: level(),
  base: { app: "keyward" },
  redact: {
    // Bracket notation works for every name, including ones with dashes ("set-cookie").
    paths: SECRET_FIELDS.flatMap((f) => [`["${f}"]`, `*["${f}"]`, `*.*["${f}"]`]),
    censor: "[redacted]",
  },
  formatters: {
    log(object) {
      return JSON.parse(redactText(JSON.stringify(object))) as Record<string, unknown>;
    },
  },
  hooks: {
    logMethod(args, method) {
      method.apply(this, args.map((a) => (typeof a === "string" ? redactText(a) : a)) as Parameters<typeof method>);
    },
  },
  serializers: {
    err: (err: unknown) => {
      if (!(err instanceof Error)) {
        const kind = typeof err === "object" && err !== null ? err.constructor?.name : typeof err;
        return { type: kind, message: redactText(`${String(err)} ${safeStringify(err)}`) };
      }
      const serialized = pino.stdSerializers.err(err);
      return { ...serialized, message: redactText(serialized.message), stack: redactText(serialized.stack ?? "") };
    },
  },
});
