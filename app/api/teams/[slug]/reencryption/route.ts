// GET /api/teams/[slug]/reencryption — the team's latest re-encryption job and how many secrets are stale.
import { withTeam } from "@/lib/api/with-team";
import { latestJob, staleSecretCount } from "@/lib/vault/reencryption-job";

export const GET = withTeam(
  async (_request, ctx) => {
    const [job, stale] = await Promise.all([latestJob(ctx), staleSecretCount(ctx)]);
    return Response.json({ data: { job, ...stale } }, { headers: { "Cache-Control": "no-store" } });
  },
  { permission: "upstream_keys.read" },
);
