// /account — profile and password; two-factor authentication and sessions are on /account/security.
import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireSession } from "@/lib/auth/current";
import { listActiveSessions } from "@/lib/auth/sessions";
import { twoFactorStatus } from "@/lib/auth/two-factor";
import { ChangePasswordForm } from "./_components/change-password-form";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const session = await requireSession();
  const [status, sessions] = await Promise.all([twoFactorStatus(session.user.id), listActiveSessions(session.user.id)]);
  return (
    <main className="mx-auto max-w-3xl space-y-6 px-4 py-8 break-words sm:px-6">
      <PageHeader
        title="Account and security"
        description={`Signed in as ${session.user.name} (${session.user.email})`}
      />

      <Card title="Change password" description="Changing it signs you out on every other device at once.">
        <ChangePasswordForm />
      </Card>

      <Card
        title="Security"
        description="Two-factor authentication, where you're signed in, and recent sign-in activity."
        actions={
          <ButtonLink href="/account/security" variant="secondary" size="sm">
            Security settings
          </ButtonLink>
        }
      >
        <dl className="grid gap-3 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-500">Two-factor authentication</dt>
            <dd className="mt-0.5">
              {status.enabled ? <Badge tone="green">On</Badge> : <Badge tone="amber">Off</Badge>}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Signed in on</dt>
            <dd className="mt-0.5 font-medium text-slate-900">
              {sessions.length} device{sessions.length === 1 ? "" : "s"}
            </dd>
          </div>
        </dl>
      </Card>
    </main>
  );
}
