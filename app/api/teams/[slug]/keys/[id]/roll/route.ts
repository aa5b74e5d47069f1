// POST /api/teams/[slug]/keys/[id]/roll — roll a member key: a successor (shown once) takes over, and the old
// key keeps working for the overlap.
import { rolledKeySchema } from "@/lib/api/paths/keys";
import { readJson, teamItemParamsSchema } from "@/lib/api/schemas/common";
import { withTeam } from "@/lib/api/with-team";
import { toPublicKey } from "@/lib/keys/public";
import { getKey } from "@/lib/keys/store";
import { rollKey } from "@/lib/rotation/roll";
import { rollKeyJsonSchema } from "@/lib/validations/rotation";

type Params = { slug: string; id: string };

export const POST = withTeam<Params>(
  async (request, ctx, params) => {
    const id = teamItemParamsSchema.shape.id.parse(params.id);
    const input = rollKeyJsonSchema.parse(await readJson(request));
    // rollKey reaches only keys the actor may see: another member's (without api_keys.manage) is a 404.
    const rolled = await rollKey(ctx, id, input);
    const body = rolledKeySchema.parse({
      ...toPublicKey(await getKey(ctx, rolled.id)),
      // The only response that ever contains the successor's key, named as in POST /keys.
      key: rolled.key,
      previous: { id: rolled.previous.id, overlapEndsAt: rolled.previous.overlapEndsAt.toISOString() },
    });
    return Response.json({ data: body }, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  {
    permission: "api_keys.own",
    // A roll mints a new secret with the old key's scopes: from a browser session it asks for a recent
    // password or code, like issuing a key that can do more than read (a management key is not asked).
    stepUp: true,
  },
);
