// /t/[teamSlug]/settings — the team's name and address (owners only).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { teamPageContext } from "@/lib/auth/team-page";
import { env } from "@/lib/env";
import { RenameTeamForm } from "./_components/rename-team-form";

export const metadata: Metadata = { title: "Team settings" };

export default async function TeamSettingsPage({
  params,
  searchParams,
}: {
  params: Promise<{ teamSlug: string }>;
  searchParams: Promise<{ saved?: string }>;
}) {
  const ctx = await teamPageContext((await params).teamSlug);
  if (!can(ctx.membership.role, "team.update")) notFound();
  const saved = (await searchParams).saved === "1";
  return (
    <div className="space-y-6">
      <PageHeader title="Team settings" description="Only owners can change these." />
      {saved ? <Alert tone="success">Saved. The team now lives at this address.</Alert> : null}
      <Card title="Name and address" description="The name members see, and the address of the team's pages and API.">
        <RenameTeamForm team={{ name: ctx.team.name, slug: ctx.team.slug }} origin={env().APP_URL} />
      </Card>
    </div>
  );
}
