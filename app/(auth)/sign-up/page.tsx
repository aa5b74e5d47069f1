// /sign-up — create an account and its first team.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentSession } from "@/lib/auth/current";
import { safeNextPath } from "@/lib/auth/safe-next";
import { SignUpForm } from "./_components/sign-up-form";

export const metadata: Metadata = { title: "Create your team" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = params.next ? safeNextPath(params.next) : null;
  if (await currentSession()) redirect(next ?? "/dashboard");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Create your account</h1>
        <p className="mt-1 text-sm text-slate-500">You&apos;ll get a team of your own; invite your teammates next.</p>
      </div>
      <SignUpForm next={next} />
      <p className="text-center text-sm text-slate-500">
        Already have an account?{" "}
        <Link
          href={next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in"}
          className="font-medium text-brand-600 hover:underline"
        >
          Sign in
        </Link>
      </p>
    </div>
  );
}
