// A member's sign-ins, for the team's owners and admins (audit.read). The member is looked up inside the
// caller's team, so another team's member is a 404 like everything else.
import { AppError } from "@/lib/api/errors";
import type { SignInEventView } from "@/lib/auth/sign-in-events";
import { db } from "@/lib/db/client";
import type { TeamContext } from "@/lib/teams/context";

export async function listMemberSignIns(
  ctx: Pick<TeamContext, "team">,
  membershipId: string,
  take = 50,
): Promise<{ member: { name: string; email: string }; events: SignInEventView[] }> {
  const membership = await db().membership.findFirst({
    where: { id: membershipId, teamId: ctx.team.id },
    select: { userId: true, user: { select: { name: true, email: true } } },
  });
  if (!membership) throw new AppError("not_found");
  const events = await db().signInEvent.findMany({
    where: { userId: membership.userId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, kind: true, ip: true, userAgent: true, createdAt: true, metadata: true },
  });
  return { member: membership.user, events };
}
