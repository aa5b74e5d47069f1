import { ButtonLink } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-slate-500">It doesn&apos;t exist, or you don&apos;t have access to it.</p>
      <ButtonLink href="/dashboard" variant="secondary">
        Back to your dashboard
      </ButtonLink>
    </main>
  );
}
