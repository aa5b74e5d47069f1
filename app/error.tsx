"use client";
import { Button } from "@/components/ui/button";

// Never shows the error itself: only its digest, which our logs can be searched for.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-sm text-slate-500">
        Try again. If it keeps happening, give your administrator this reference: {error.digest ?? "n/a"}.
      </p>
      <Button onClick={reset}>Try again</Button>
    </main>
  );
}
