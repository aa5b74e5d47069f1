// /account/security — two-factor authentication, recent sign-in activity, and the sessions signed in.
import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { SignInHistory } from "@/components/auth/sign-in-history";
import { Alert } from "@/components/ui/alert";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { signOutEverywhereAction } from "@/lib/actions/sign-out-everywhere";
import { requireSession } from "@/lib/auth/current";
import { RECOVERY_CODE_COUNT } from "@/lib/auth/recovery-codes";
import { safeNextPath } from "@/lib/auth/safe-next";
import { listActiveSessions } from "@/lib/auth/sessions";
import { listSignInEvents } from "@/lib/auth/sign-in-events";
import { twoFactorStatus, type TwoFactorStatus } from "@/lib/auth/two-factor";
import { sessionIdleMinutes } from "@/lib/env";
import { formatDateTime } from "@/lib/format/date";
import { findMembership } from "@/lib/teams/context";
import { ActiveSessions } from "./_components/active-sessions";
import { TwoFactorPanel } from "./_components/two-factor-panel";

export const metadata: Metadata = { title: "Security" };

type Params = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Sent here by a team that requires 2FA (lib/auth/team-page.ts): which team, if the user is in it. */
async function requiringTeam(userId: string, slug: string | undefined) {
  if (!slug || slug.length > 64) return null;
  return (await findMembership(userId, slug))?.team ?? null;
}

function RecoveryCodeNotice({ status, next }: { status: TwoFactorStatus; next: string | null }) {
  return (
    <Alert tone="warning">
      You signed in with a recovery code.{" "}
      <strong>
        {status.recoveryCodesLeft} recovery code{status.recoveryCodesLeft === 1 ? "" : "s"} left.
      </strong>{" "}
      Each works once. If you no longer have your authenticator app, generate new codes below, or turn two-factor
      authentication off and set it up again with your new phone.
      {next ? (
        <>
          {" "}
          <Link href={next} className="font-medium underline">
            Continue to where you were going
          </Link>
        </>
      ) : null}
    </Alert>
  );
}

export default async function SecurityPage({ searchParams }: { searchParams: Promise<Params> }) {
  const session = await requireSession();
  const params = await searchParams;
  const [status, events, sessions, team] = await Promise.all([
    twoFactorStatus(session.user.id),
    listSignInEvents(session.user.id),
    listActiveSessions(session.user.id),
    requiringTeam(session.user.id, one(params.required)),
  ]);
  const next = one(params.next) ? safeNextPath(one(params.next)) : null;
  return (
    <main className="mx-auto max-w-3xl space-y-6 px-4 py-8 break-words sm:px-6">
      <PageHeader
        title="Security"
        description="Two-factor authentication, where you are signed in, and recent sign-in activity."
        actions={
          <ButtonLink href="/account" variant="secondary" size="sm">
            Back to account
          </ButtonLink>
        }
      />

      {team && !status.enabled ? (
        <Alert tone="warning">
          The team <strong className="[overflow-wrap:anywhere]">{team.name}</strong> requires two-factor authentication.
          Set it up below to open the team again.
        </Alert>
      ) : null}
      {team && status.enabled ? (
        <Alert tone="success">
          Two-factor authentication is on.{" "}
          <Link href={`/t/${team.slug}`} className="font-medium [overflow-wrap:anywhere] underline">
            Open {team.name}
          </Link>
        </Alert>
      ) : null}
      {one(params.signedInWith) === "recovery-code" && status.enabled ? (
        <RecoveryCodeNotice status={status} next={next} />
      ) : null}

      <Card
        title="Two-factor authentication"
        description="A code from an authenticator app, asked for after your password when you sign in."
      >
        <TwoFactorPanel
          status={{
            enabled: status.enabled,
            enabledAt: formatDateTime(status.enabledAt),
            recoveryCodesLeft: status.recoveryCodesLeft,
            recoveryCodesTotal: RECOVERY_CODE_COUNT,
          }}
        />
      </Card>

      <Card
        title="Where you're signed in"
        description={`A session ends after ${sessionIdleMinutes()} minutes without use, 30 days after signing in, or when you end it here.`}
      >
        <ActiveSessions sessions={sessions} currentId={session.sessionId} />
        <div className="mt-4 flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4">
          <p className="text-sm text-slate-600">Lost a device, or not sure? End every session at once.</p>
          <ActionForm action={signOutEverywhereAction} confirm="Sign out on every device, including this one?">
            <Button type="submit" variant="danger" size="sm">
              Sign out everywhere
            </Button>
          </ActionForm>
        </div>
      </Card>

      <Card title="Recent sign-in activity" description="The last 50 sign-ins and security changes on your account.">
        <SignInHistory events={events} />
      </Card>
    </main>
  );
}
