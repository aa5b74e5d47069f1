// The door of the Audit log page. It sits in a layout because the layout renders above loading.tsx: refused
// here (a member, a viewer, another team), the answer is a real 404; refused inside the page, Next has
// already streamed a 200.
import { teamPageContext } from "@/lib/auth/team-page";

export default async function AuditLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ teamSlug: string }>;
}) {
  await teamPageContext((await params).teamSlug, "audit.read");
  return children;
}
