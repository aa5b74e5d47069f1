// GET /api/ready — the database answers and every migration is applied (for readiness probes), with the
// master key's age and whether it is due for rotation (ENCRYPTION_KEY_MAX_AGE_DAYS).
import { masterKeyAge } from "@/lib/crypto/master-key-age";
import { db } from "@/lib/db/client";
import { migrationStatus } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  try {
    const { pending } = await migrationStatus(process.env.DATABASE_URL ?? "");
    if (pending.length > 0) {
      return Response.json({ status: "migrations_pending", pending }, { status: 503, headers });
    }
    const config = env();
    const version = await db().masterKeyVersion.findUnique({ where: { version: config.ENCRYPTION_KEY_VERSION } });
    // The master key's age, for the operator's monitoring: never key material, only its version and dates.
    const masterKey = masterKeyAge({
      version: config.ENCRYPTION_KEY_VERSION,
      firstSeenAt: version?.firstSeenAt ?? new Date(),
      createdAt: config.ENCRYPTION_KEY_CREATED_AT,
      maxAgeDays: config.ENCRYPTION_KEY_MAX_AGE_DAYS,
      now: new Date(),
    });
    return Response.json({ status: "ready", masterKey }, { headers });
  } catch (error) {
    logger.warn({ err: error }, "readiness check failed");
    return Response.json({ status: "database_unreachable" }, { status: 503, headers });
  }
}
