// PATCH, DELETE /api/teams/[slug]/upstream-keys/[id] — enable/disable or delete one of the team's OpenAI keys.
import { z } from "zod";
import { withTeam } from "@/lib/api/with-team";
import { deleteUpstreamKey, setUpstreamKeyEnabled } from "@/lib/upstream/keys";

const idSchema = z.uuid();
const patchSchema = z.object({ enabled: z.boolean() }).strict();

export const PATCH = withTeam<{ slug: string; id: string }>(
  async (request, ctx, params) => {
    const { enabled } = patchSchema.parse(await request.json().catch(() => ({})));
    await setUpstreamKeyEnabled(ctx, idSchema.parse(params.id), enabled);
    return new Response(null, { status: 204 });
  },
  { permission: "upstream_keys.write" },
);

export const DELETE = withTeam<{ slug: string; id: string }>(
  async (_request, ctx, params) => {
    await deleteUpstreamKey(ctx, idSchema.parse(params.id));
    return new Response(null, { status: 204 });
  },
  { permission: "upstream_keys.write" },
);
