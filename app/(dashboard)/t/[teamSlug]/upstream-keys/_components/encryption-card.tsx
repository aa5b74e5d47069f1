"use client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { FormError, StatefulForm } from "@/components/action-form";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import { startReencryptionAction } from "@/lib/actions/start-reencryption";

type Job = { status: string; total: number; done: number; toVersion: number; error: string | null };
type Status = { job: Job | null; stale: number; currentVersion: number };

/** The team's encryption status, and a background re-encryption with live progress. */
export function EncryptionCard({
  teamSlug,
  initial,
  canWrite,
}: {
  teamSlug: string;
  initial: Status;
  canWrite: boolean;
}) {
  const router = useRouter();
  const [status, setStatus] = useState(initial);
  const [state, start] = useActionState(startReencryptionAction, null);
  const running =
    status.job?.status === "running" || (state?.ok === true && status.job?.status !== "done" && status.stale > 0);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      void fetch(`/api/teams/${teamSlug}/reencryption`, { cache: "no-store" })
        .then((response) => (response.ok ? (response.json() as Promise<{ data: Status }>) : null))
        .then((body) => {
          if (!body) return;
          setStatus(body.data);
          if (body.data.job?.status !== "running") router.refresh();
        });
    }, 1000);
    return () => clearInterval(timer);
  }, [running, teamSlug, router]);

  const job = status.job;
  const percent = job && job.total > 0 ? Math.min(100, Math.round((job.done / job.total) * 100)) : 0;
  return (
    <Card
      title="Encryption at rest"
      description={`Keys are encrypted with AES-256-GCM under master key version ${status.currentVersion}.`}
    >
      <div className="space-y-3 text-sm">
        {status.stale === 0 && !running ? (
          <p className="text-slate-600">Every key of this team uses the current master key.</p>
        ) : (
          <p className="text-slate-600">
            {status.stale} key{status.stale === 1 ? "" : "s"} still use{status.stale === 1 ? "s" : ""} an older master
            key. Re-encrypting them lets the old key be retired; the app keeps serving meanwhile.
          </p>
        )}
        {running && job ? (
          <div>
            <div
              className="h-2 w-full overflow-hidden rounded-full bg-slate-100"
              role="progressbar"
              aria-label="Re-encryption progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
            >
              <div className="h-full bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
            </div>
            <p className="mt-1 text-xs text-slate-500">
              Re-encrypting: {job.done} of {job.total} ({percent}%)
            </p>
          </div>
        ) : null}
        {job?.status === "done" && !running ? (
          <Alert tone="success">
            The last re-encryption finished: {job.done} key(s) moved to version {job.toVersion}.
          </Alert>
        ) : null}
        {job?.status === "failed" ? <Alert tone="error">{job.error}</Alert> : null}
        <FormError state={state} />
        {canWrite && status.stale > 0 && !running ? (
          <StatefulForm state={state} action={start}>
            <input type="hidden" name="teamSlug" value={teamSlug} />
            <SubmitButton variant="secondary" pendingLabel="Starting…">
              Re-encrypt with the current key
            </SubmitButton>
          </StatefulForm>
        ) : null}
      </div>
    </Card>
  );
}
