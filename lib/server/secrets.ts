// First-start secrets for the embedded default: generated once into DATA_DIR/secrets.json (mode 0600).
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const secretsFileSchema = z.object({ AUTH_SECRET: z.string().min(32), ENCRYPTION_KEY: z.string().min(40) });

const GENERATED = ["AUTH_SECRET", "ENCRYPTION_KEY"] as const;

/**
 * Fills AUTH_SECRET and ENCRYPTION_KEY from DATA_DIR/secrets.json, creating the file on first start. Values
 * already in the environment win. DATA_DIR must exist (prepareDataDir in lib/server/data-dir.ts). Only for the embedded database: with DATABASE_URL the operator must set
 * both, so two servers can never run with different keys by accident.
 */
export function loadOrCreateLocalSecrets(dataDir: string, log: (message: string) => void): void {
  if (GENERATED.every((name) => process.env[name])) return;
  const file = path.resolve(dataDir, "secrets.json");
  let secrets: z.infer<typeof secretsFileSchema>;
  if (existsSync(file)) {
    const parsed = secretsFileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success) throw new Error(`${file} is damaged: restore it from a backup (stored keys need it).`);
    secrets = parsed.data;
  } else {
    secrets = { AUTH_SECRET: randomBytes(32).toString("base64"), ENCRYPTION_KEY: randomBytes(32).toString("base64") };
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(file, 0o600);
    log(
      `Generated AUTH_SECRET and ENCRYPTION_KEY into ${file} (mode 0600). Back this file up: stored keys cannot be read without it.`,
    );
  }
  for (const name of GENERATED) process.env[name] ||= secrets[name];
}
