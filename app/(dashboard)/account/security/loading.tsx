// Shown while the Security page renders on the server.
export default function SecurityLoading() {
  return (
    <div
      className="mx-auto max-w-3xl animate-pulse space-y-6 px-4 py-8 sm:px-6"
      role="status"
      aria-busy="true"
      aria-label="Loading"
    >
      <div className="h-8 w-48 rounded bg-slate-200" />
      {["h-40", "h-56", "h-72"].map((height) => (
        <div key={height} className={`${height} rounded-xl bg-white ring-1 ring-slate-200`} />
      ))}
    </div>
  );
}
