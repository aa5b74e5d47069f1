// Shown while the account page renders on the server.
export default function AccountLoading() {
  return (
    <div
      className="mx-auto max-w-3xl animate-pulse space-y-6 px-6 py-8"
      role="status"
      aria-busy="true"
      aria-label="Loading"
    >
      <div className="h-8 w-64 rounded bg-slate-200" />
      <div className="grid gap-4 sm:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-24 rounded-xl bg-white ring-1 ring-slate-200" />
        ))}
      </div>
      <div className="h-64 rounded-xl bg-white ring-1 ring-slate-200" />
    </div>
  );
}
