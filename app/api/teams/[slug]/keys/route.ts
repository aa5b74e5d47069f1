// GET, POST /api/teams/[slug]/keys — list member keys (your own; managers: the team's) or issue one.
import { listKeysQuerySchema } from "@/lib/api/paths/keys";
import { readJson } from "@/lib/api/schemas/common";
import { withTeam } from "@/lib/api/with-team";
import { toPublicKey } from "@/lib/keys/public";
import { widerThanReadOnly } from "@/lib/keys/scopes";
import { createKey, getKey, listKeys, memberIdByEmail } from "@/lib/keys/store";
import { createKeyJsonSchema } from "@/lib/validations/keys";

export const GET = withTeam(
  async (request, ctx) => {
    const query = listKeysQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const includeRevoked = query.include === "revoked";
    return Response.json({ data: (await listKeys(ctx, { includeRevoked })).map(toPublicKey) });
  },
  { permission: "api_keys.own" },
);

export const POST = withTeam(
  async (request, ctx) => {
    const input = createKeyJsonSchema.parse(await readJson(request));
    const holderUserId = input.memberEmail ? await memberIdByEmail(ctx, input.memberEmail) : undefined;
    const created = await createKey(ctx, {
      name: input.name,
      scopes: input.scopes,
      holderUserId,
      ...(input.rotationDays !== undefined ? { rotationDays: input.rotationDays } : {}),
    });
    // The only response that ever contains the key.
    return Response.json(
      { data: { ...toPublicKey(await getKey(ctx, created.id)), key: created.key } },
      { status: 201, headers: { "Cache-Control": "no-store" } },
    );
  },
  {
    permission: "api_keys.own",
    // As in the dashboard (lib/actions/create-key.ts): a key that can do more than read needs a recent
    // password or code from a browser session.
    stepUp: async (request) => widerThanReadOnly(createKeyJsonSchema.parse(await readJson(request)).scopes),
  },
);
