// POST /api/teams/[slug]/invites — invite someone by e-mail, with a role no higher than the actor's.
import { readJson } from "@/lib/api/schemas/common";
import { createInviteBodySchema, inviteCreatedSchema } from "@/lib/api/schemas/members";
import { withTeam } from "@/lib/api/with-team";
import { inviteMember } from "@/lib/teams/invite-member";

export const POST = withTeam(
  async (request, ctx) => {
    const input = createInviteBodySchema.parse(await readJson(request));
    const invited = await inviteMember(ctx, input);
    const data = inviteCreatedSchema.parse({ ...invited, expiresAt: invited.expiresAt.toISOString() });
    // `link` (present only when no e-mail went out) carries the invitation's token: never cached.
    return Response.json({ data }, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { permission: "members.invite" },
);
