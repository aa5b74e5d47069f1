// GET /api/ready — the database answers and every migration is applied (for readiness probes).
import { migrationStatus } from "@/lib/db/migrate";
import { logger } from "@/lib/logger";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  try {
    const { pending } = await migrationStatus(process.env.DATABASE_URL ?? "");
    if (pending.length > 0) {
      return Response.json({ status: "migrations_pending", pending }, { status: 503, headers });
    }
    return Response.json({ status: "ready" }, { headers });
  } catch (error) {
    logger.warn({ err: error }, "readiness check failed");
    return Response.json({ status: "database_unreachable" }, { status: 503, headers });
  }
}
