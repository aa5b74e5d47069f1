// PATCH, DELETE /api/teams/[slug]/members/[id] — change a member's role, or remove them (their keys are
// revoked in the same transaction).
import { readJson, teamItemParamsSchema } from "@/lib/api/schemas/common";
import { changeRoleBodySchema, toPublicMember } from "@/lib/api/schemas/members";
import { withTeam } from "@/lib/api/with-team";
import { changeMemberRole, getMember, removeMember } from "@/lib/teams/members";

type Params = { slug: string; id: string };
const id = (params: Params) => teamItemParamsSchema.shape.id.parse(params.id);

export const PATCH = withTeam<Params>(
  async (request, ctx, params) => {
    const { role } = changeRoleBodySchema.parse(await readJson(request));
    // Within the actor's rank, never the last owner; the role is a ceiling the proxy applies at once.
    await changeMemberRole(ctx, id(params), role);
    return Response.json({ data: toPublicMember(await getMember(ctx, id(params))) });
  },
  { permission: "members.update_role", stepUp: true },
);

export const DELETE = withTeam<Params>(
  async (_request, ctx, params) => {
    await removeMember(ctx, id(params));
    return new Response(null, { status: 204 });
  },
  { permission: "members.remove" },
);
