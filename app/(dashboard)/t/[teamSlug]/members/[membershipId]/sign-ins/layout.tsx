// The door of a member's Sign-ins page. It sits in a layout because the layout renders above loading.tsx:
// refused here, the answer is a real 404; refused inside the page, Next has already streamed a 200.
import { teamMemberPageContext } from "@/lib/auth/team-page";

export default async function MemberSignInsLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ teamSlug: string; membershipId: string }>;
}) {
  const { teamSlug, membershipId } = await params;
  await teamMemberPageContext(teamSlug, membershipId, "audit.read");
  return children;
}
