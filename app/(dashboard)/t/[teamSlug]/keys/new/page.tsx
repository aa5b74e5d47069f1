// /t/[teamSlug]/keys/new — create a member key (for yourself; owners and admins also for a member).
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { teamPageContext } from "@/lib/auth/team-page";
import { env } from "@/lib/env";
import { readTeamKeyPolicy } from "@/lib/keys/team-policy";
import { listMembers } from "@/lib/teams/members";
import { KeyForm } from "../_components/key-form";

export const metadata: Metadata = { title: "Create a key" };

export default async function NewKeyPage({ params }: { params: Promise<{ teamSlug: string }> }) {
  const ctx = await teamPageContext((await params).teamSlug, "api_keys.own");
  const manager = ctx.permissions.has("api_keys.manage");
  const [members, policy] = await Promise.all([
    manager ? listMembers(ctx) : Promise.resolve([]),
    readTeamKeyPolicy(ctx),
  ]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Create a key"
        description={
          <>Give it only what it needs. The team&apos;s policy caps every key; viewers&apos; keys can only read.</>
        }
      />
      <Card>
        <KeyForm
          teamSlug={ctx.team.slug}
          baseUrl={`${env().APP_URL}/v1`}
          members={members.map((m) => ({
            id: m.user.id,
            label: `${m.user.name} (${m.user.email})`,
            self: m.user.id === ctx.user.id,
          }))}
          maxAccess={ctx.membership.role === "viewer" ? "read" : "write"}
          policyModels={policy.models}
        />
      </Card>
    </div>
  );
}
