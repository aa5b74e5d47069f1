// GET, POST /api/teams/[slug]/upstream-keys — list the team's OpenAI keys (masked) or add one.
import { readJson } from "@/lib/api/schemas/common";
import { withTeam } from "@/lib/api/with-team";
import { addUpstreamKey, listUpstreamKeys } from "@/lib/upstream/keys";
import { upstreamKeyFieldsSchema } from "@/lib/validations/upstream";

export const GET = withTeam(async (_request, ctx) => Response.json({ data: await listUpstreamKeys(ctx) }), {
  permission: "upstream_keys.read",
});

export const POST = withTeam(
  async (request, ctx) => {
    const input = upstreamKeyFieldsSchema.parse(await readJson(request));
    return Response.json({ data: await addUpstreamKey(ctx, input) }, { status: 201 });
  },
  { permission: "upstream_keys.write", stepUp: true },
);
