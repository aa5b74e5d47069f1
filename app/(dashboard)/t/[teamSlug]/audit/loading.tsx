// Shown while the Audit log page queries the timeline.
export default function AuditLoading() {
  return (
    <div className="animate-pulse space-y-6" role="status" aria-busy="true" aria-label="Loading the audit log">
      <div className="h-8 w-48 max-w-full rounded bg-slate-200" />
      <div className="h-40 rounded-xl bg-white ring-1 ring-slate-200" />
      <div className="h-96 rounded-xl bg-white ring-1 ring-slate-200" />
    </div>
  );
}
