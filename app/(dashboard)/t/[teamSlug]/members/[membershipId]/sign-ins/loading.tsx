// Shown while a member's Sign-ins page renders on the server.
export default function MemberSignInsLoading() {
  return (
    <div className="animate-pulse space-y-6" role="status" aria-busy="true" aria-label="Loading">
      <div className="h-8 w-56 max-w-full rounded bg-slate-200" />
      <div className="h-72 rounded-xl bg-white ring-1 ring-slate-200" />
    </div>
  );
}
