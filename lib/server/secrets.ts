// First-start secrets for the embedded default: generated once into DATA_DIR/secrets.json (mode 0600).
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { StartupError } from "@/lib/server/startup-error";

const secretsFileSchema = z.object({ AUTH_SECRET: z.string().min(32), ENCRYPTION_KEY: z.string().min(40) });

const GENERATED = ["AUTH_SECRET", "ENCRYPTION_KEY"] as const;
type Secrets = z.infer<typeof secretsFileSchema>;

/**
 * Fills AUTH_SECRET and ENCRYPTION_KEY from DATA_DIR/secrets.json, creating the file on first start. Values
 * already in the environment win. DATA_DIR must exist (prepareDataDir in lib/server/data-dir.ts). Only for
 * the embedded database: with DATABASE_URL the operator must set both, so two servers can never run with
 * different keys by accident.
 */
export function loadOrCreateLocalSecrets(dataDir: string, log: (message: string) => void): void {
  if (GENERATED.every((name) => process.env[name])) return;
  const file = path.resolve(dataDir, "secrets.json");
  const secrets = existsSync(file) ? readSecrets(file) : createSecrets(file, log);
  for (const name of GENERATED) process.env[name] ||= secrets[name];
}

function readSecrets(file: string): Secrets {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    json = undefined;
  }
  const parsed = secretsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new StartupError(`${file} is damaged.`, "restore it from a backup: stored keys cannot be read without it.");
  }
  return parsed.data;
}

/**
 * Written whole to a private temporary file, then linked into place: link() fails if the name exists, so two
 * first starts at once end up with one set of secrets, and neither ever reads a half-written file.
 */
function createSecrets(file: string, log: (message: string) => void): Secrets {
  const secrets = {
    AUTH_SECRET: randomBytes(32).toString("base64"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  try {
    chmodSync(temporary, 0o600);
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readSecrets(file);
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  log(
    `Generated AUTH_SECRET and ENCRYPTION_KEY into ${file} (mode 0600). Back this file up: stored keys cannot be ` +
      "read without it.",
  );
  return secrets;
}
