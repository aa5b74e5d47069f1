// /dashboard — sends the user to their first team (or to create one).
import { redirect } from "next/navigation";
import { requireSession } from "@/lib/auth/current";
import { listTeamsOf } from "@/lib/teams/teams";

export default async function DashboardPage() {
  const session = await requireSession();
  const [first] = await listTeamsOf(session.user.id);
  redirect(first ? `/t/${first.slug}` : "/teams/new");
}
