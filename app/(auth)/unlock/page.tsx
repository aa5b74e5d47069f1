// /unlock?token=… — the e-mailed link that lifts an account lock. Opening it changes nothing: the button's
// POST does, so a mail scanner that fetches every link unlocks no account.
import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { UNLOCK_LINK_INVALID } from "@/lib/auth/lockout";
import { UnlockForm } from "./_components/unlock-form";

export const metadata: Metadata = { title: "Unlock your account", referrer: "no-referrer" };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export default async function UnlockPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token } = await searchParams;
  const valid = typeof token === "string" && TOKEN_SHAPE.test(token);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Unlock your account</h1>
        <p className="mt-1 text-sm text-slate-500">
          After too many failed sign-in attempts your account was locked, so that nobody can keep guessing its password.
          Signing in stays refused, even with the right password, until you unlock it.
        </p>
      </div>
      {valid ? (
        <UnlockForm token={token} />
      ) : (
        <>
          <Alert tone="error">{UNLOCK_LINK_INVALID}</Alert>
          <p className="text-center text-sm">
            <Link href="/sign-in" className="font-medium text-brand-600 hover:underline">
              Go to sign in
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
