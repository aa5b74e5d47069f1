// GET, PATCH, DELETE /api/teams/[slug]/keys/[id] — read, edit (name, scopes) or revoke a member key.
import { z } from "zod";
import { withTeam } from "@/lib/api/with-team";
import { toPublicKey } from "@/lib/keys/public";
import { getKey, revokeKey, updateKey } from "@/lib/keys/store";
import { updateKeyJsonSchema } from "@/lib/validations/keys";

type Params = { slug: string; id: string };
const id = (params: Params) => z.uuid().parse(params.id);

export const GET = withTeam<Params>(
  async (_request, ctx, params) => Response.json({ data: toPublicKey(await getKey(ctx, id(params))) }),
  { permission: "api_keys.own" },
);

export const PATCH = withTeam<Params>(
  async (request, ctx, params) => {
    const input = updateKeyJsonSchema.parse(await request.json().catch(() => ({})));
    await updateKey(ctx, id(params), input);
    return Response.json({ data: toPublicKey(await getKey(ctx, id(params))) });
  },
  { permission: "api_keys.own" },
);

export const DELETE = withTeam<Params>(
  async (_request, ctx, params) => {
    await revokeKey(ctx, id(params));
    return new Response(null, { status: 204 });
  },
  { permission: "api_keys.own" },
);
