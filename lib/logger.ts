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
  // One-time codes by their own names: a bare "code" would also censor an error's code (ECONNREFUSED, P2002).
  "totpCode",
  "recoveryCode",
];

// Shapes of secrets that could hide inside a free-text message or an error.
const SECRET_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI keys (sk-, sk-proj-, sk-svcacct-)
  /\bkw_[A-Za-z0-9_]{8,}/g, // Keyward keys
  /\bwhsec_[A-Za-z0-9+/=]{8,}/g, // audit webhook signing secrets
  // Connection strings carry passwords. The line is JSON, so a backslash (an escape such as \n) ends one too.
  /\b(postgres(?:ql)?|smtps?):\/\/[^\s"'\\]+/gi,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];

// Fields of an error that hold a library's live objects rather than facts about the error.
const ATTACHED_OBJECTS = ["client", "connection", "socket", "agent", "pool"];

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
  hooks: {
    // Secrets by shape are removed from the final line, after every serializer has run: redacting the object
    // earlier (a JSON round trip in formatters.log) ran before pino's err serializer and turned every Error
    // into "{}", so logged errors lost their message and stack.
    streamWrite: redactText,
  },
  serializers: {
    err: (err: unknown) => {
      if (err instanceof Error) {
        const serialized: Record<string, unknown> = pino.stdSerializers.err(err);
        // Libraries hang their live objects on errors (pg puts the whole Client on a pool's error): kilobytes
        // of internals, connection settings included, and nothing that says what went wrong.
        for (const field of ATTACHED_OBJECTS) if (field in serialized) serialized[field] = "[omitted]";
        return serialized;
      }
      // Something thrown that is not an Error (a rejected plain object, a string): say what it was.
      const kind = typeof err === "object" && err !== null ? (err.constructor?.name ?? "Object") : typeof err;
      return { type: kind, message: typeof err === "string" ? err : safeStringify(err) };
    },
  },
});
