// /sign-in/verify — the second step of signing in: a code from the authenticator app, or a recovery code.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentSession } from "@/lib/auth/current";
import { currentPendingSession } from "@/lib/auth/pending";
import { safeNextPath } from "@/lib/auth/safe-next";
import { SecondFactorForm } from "./_components/second-factor-form";

export const metadata: Metadata = { title: "Two-factor authentication" };

export default async function VerifyPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next ?? params.callbackUrl);
  // The sign-in form comes here after every password: a user without 2FA is already signed in.
  if (await currentSession()) redirect(next);
  const pending = await currentPendingSession();
  if (!pending) redirect(next === "/dashboard" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Two-factor authentication</h1>
        <p className="mt-1 text-sm [overflow-wrap:anywhere] text-slate-500">
          Signing in as <span className="font-medium text-slate-700">{pending.user.email}</span>.
        </p>
      </div>
      <SecondFactorForm next={next} />
    </div>
  );
}
