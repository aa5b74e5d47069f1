"use server";
// What the invite page shows for a token held in the URL fragment, and who is signed in.
import { currentSession } from "@/lib/auth/current";
import { describeInvite } from "@/lib/teams/invites";
import { inviteTokenSchema } from "@/lib/validations/team";

export async function lookupInviteAction(token: string) {
  const parsed = inviteTokenSchema.safeParse(token);
  const invite = parsed.success ? await describeInvite(parsed.data) : null;
  const session = await currentSession();
  return { invite, signedInAs: session?.user.email ?? null };
}
