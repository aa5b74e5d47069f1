// /account — profile, password, and the browsers signed in to this account.
import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { signOutEverywhereAction } from "@/lib/actions/sign-out-everywhere";
import { requireSession } from "@/lib/auth/current";
import { listActiveSessions } from "@/lib/auth/sessions";
import { formatDateTime } from "@/lib/format/date";
import { ChangePasswordForm } from "./_components/change-password-form";

export const metadata: Metadata = { title: "Account" };

function describeAgent(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Chrome\//.test(userAgent)
      ? "Chrome"
      : /Firefox\//.test(userAgent)
        ? "Firefox"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "Browser";
  const os = /Windows/.test(userAgent)
    ? "Windows"
    : /Mac OS X/.test(userAgent)
      ? "macOS"
      : /Android/.test(userAgent)
        ? "Android"
        : /iPhone|iPad/.test(userAgent)
          ? "iOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : "";
  return os ? `${browser} on ${os}` : browser;
}

export default async function AccountPage() {
  const session = await requireSession();
  const sessions = await listActiveSessions(session.user.id);
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
        title="Where you're signed in"
        description="Sessions end after 30 days, when you sign out, or when you sign out everywhere."
        actions={
          <ActionForm action={signOutEverywhereAction} confirm="Sign out on every device, including this one?">
            <Button type="submit" variant="danger" size="sm">
              Sign out everywhere
            </Button>
          </ActionForm>
        }
      >
        <ul className="divide-y divide-slate-100">
          {sessions.map((s) => (
            <li key={s.id} className="flex items-center justify-between gap-4 py-3 text-sm">
              <div className="min-w-0">
                <p className="font-medium">
                  {describeAgent(s.userAgent)}{" "}
                  {s.id === session.sessionId ? <Badge tone="green">This browser</Badge> : null}
                </p>
                <p className="text-xs text-slate-500">
                  {s.ip ?? "unknown address"} · signed in {formatDateTime(s.createdAt)} · last active{" "}
                  {formatDateTime(s.lastSeenAt)}
                </p>
              </div>
            </li>
          ))}
        </ul>
      </Card>
    </main>
  );
}
