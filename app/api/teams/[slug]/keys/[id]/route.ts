// GET, PATCH, DELETE /api/teams/[slug]/keys/[id] — read, edit (name, scopes) or revoke a member key.
import { readJson, teamItemParamsSchema } from "@/lib/api/schemas/common";
import { withTeam } from "@/lib/api/with-team";
import { toPublicKey } from "@/lib/keys/public";
import { widerThanReadOnly } from "@/lib/keys/scopes";
import { getKey, revokeKey, updateKey } from "@/lib/keys/store";
import { updateKeyJsonSchema } from "@/lib/validations/keys";

type Params = { slug: string; id: string };
const id = (params: Params) => teamItemParamsSchema.shape.id.parse(params.id);

export const GET = withTeam<Params>(
  async (_request, ctx, params) => Response.json({ data: toPublicKey(await getKey(ctx, id(params))) }),
  { permission: "api_keys.own" },
);

export const PATCH = withTeam<Params>(
  async (request, ctx, params) => {
    const input = updateKeyJsonSchema.parse(await readJson(request));
    await updateKey(ctx, id(params), input);
    return Response.json({ data: toPublicKey(await getKey(ctx, id(params))) });
  },
  {
    permission: "api_keys.own",
    stepUp: async (request) => {
      const { scopes } = updateKeyJsonSchema.parse(await readJson(request));
      return scopes !== undefined && widerThanReadOnly(scopes);
    },
  },
);

export const DELETE = withTeam<Params>(
  async (_request, ctx, params) => {
    await revokeKey(ctx, id(params));
    return new Response(null, { status: 204 });
  },
  { permission: "api_keys.own" },
);
