// PATCH, DELETE /api/teams/[slug]/upstream-keys/[id] — enable/disable or delete one of the team's OpenAI keys.
import { readJson, teamItemParamsSchema } from "@/lib/api/schemas/common";
import { upstreamKeyPatchSchema } from "@/lib/api/schemas/upstream";
import { withTeam } from "@/lib/api/with-team";
import { deleteUpstreamKey, setUpstreamKeyEnabled } from "@/lib/upstream/keys";

const idSchema = teamItemParamsSchema.shape.id;

export const PATCH = withTeam<{ slug: string; id: string }>(
  async (request, ctx, params) => {
    const { enabled } = upstreamKeyPatchSchema.parse(await readJson(request));
    await setUpstreamKeyEnabled(ctx, idSchema.parse(params.id), enabled);
    return new Response(null, { status: 204 });
  },
  { permission: "upstream_keys.write", stepUp: true },
);

export const DELETE = withTeam<{ slug: string; id: string }>(
  async (_request, ctx, params) => {
    await deleteUpstreamKey(ctx, idSchema.parse(params.id));
    return new Response(null, { status: 204 });
  },
  { permission: "upstream_keys.write", stepUp: true },
);
