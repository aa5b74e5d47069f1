// /sign-in — e-mail and password.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { currentSession } from "@/lib/auth/current";
import { safeNextPath } from "@/lib/auth/safe-next";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next ?? params.callbackUrl);
  if (await currentSession()) redirect(next);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Sign in to Keyward</h1>
        <p className="mt-1 text-sm text-slate-500">Welcome back.</p>
      </div>
      {params.signedOut === "everywhere" ? <Alert tone="success">You were signed out on every device.</Alert> : null}
      <SignInForm next={next} />
      <p className="text-center text-sm text-slate-500">
        New to Keyward?{" "}
        <Link
          href={next === "/dashboard" ? "/sign-up" : `/sign-up?next=${encodeURIComponent(next)}`}
          className="font-medium text-brand-600 hover:underline"
        >
          Create an account
        </Link>
      </p>
    </div>
  );
}
