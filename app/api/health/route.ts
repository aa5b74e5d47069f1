// GET /api/health — the process is alive (no dependencies checked: for liveness probes).
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
