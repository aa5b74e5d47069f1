// /invite#<token> — accept an invitation. The token stays in the fragment, so it reaches no server log.
import type { Metadata } from "next";
import { InviteView } from "./_components/invite-view";

export const metadata: Metadata = { title: "Invitation" };

export default function InvitePage() {
  return <InviteView />;
}
