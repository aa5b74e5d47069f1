import { TeamSwitcher } from "@/components/dashboard/team-switcher";
import { TeamNav } from "@/components/dashboard/team-nav";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { can } from "@/lib/auth/permissions";
import { teamPageContext } from "@/lib/auth/team-page";
import { formatDate } from "@/lib/format/date";
import { listTeamsOf } from "@/lib/teams/teams";

export default async function TeamLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ teamSlug: string }>;
}) {
  const { teamSlug } = await params;
  const ctx = await teamPageContext(teamSlug);
  const teams = await listTeamsOf(ctx.user.id);
  const base = `/t/${ctx.team.slug}`;
  const nav = [
    { href: base, label: "Overview" },
    ...(can(ctx.membership.role, "api_keys.own") ? [{ href: `${base}/keys`, label: "API keys" }] : []),
    { href: `${base}/members`, label: "Members" },
    ...(can(ctx.membership.role, "audit.read") ? [{ href: `${base}/audit`, label: "Audit log" }] : []),
    ...(can(ctx.membership.role, "upstream_keys.read")
      ? [{ href: `${base}/upstream-keys`, label: "OpenAI keys" }]
      : []),
    ...(can(ctx.membership.role, "team.update") ? [{ href: `${base}/settings`, label: "Settings" }] : []),
  ];
  return (
    // Below md the sidebar sits above the page (switcher, then the nav as one scrollable row); from md up it
    // is a fixed-width column. min-w-0 lets the page column shrink below its widest unbroken word.
    <div className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-6 sm:px-6 md:flex-row md:gap-8 md:py-8">
      <aside className="w-full min-w-0 shrink-0 space-y-3 md:w-56 md:space-y-4">
        <TeamSwitcher current={{ ...ctx.team, role: ctx.membership.role }} teams={teams} />
        <TeamNav items={nav} />
      </aside>
      <main className="min-w-0 flex-1 space-y-6 break-words">
        {ctx.twoFactor?.state === "grace" ? (
          // The grace period of the team's "2FA required" policy: after it, this member is shut out.
          <Alert tone="warning">
            {ctx.team.name} requires two-factor authentication. Set it up before {formatDate(ctx.twoFactor.until)} to
            keep access to this team.{" "}
            <Link
              href={`/account/security?required=${encodeURIComponent(ctx.team.slug)}`}
              className="font-medium underline"
            >
              Set up two-factor authentication
            </Link>
          </Alert>
        ) : null}
        <div>{children}</div>
      </main>
    </div>
  );
}
