// Human-readable dates for the dashboard.
const DAY_MS = 24 * 60 * 60 * 1000;

/** "under a day", "1 day", "12 days", "3 months", "2 years": how old something is. */
export function formatAge(since: Date, now: Date = new Date()): string {
  const days = Math.floor((now.getTime() - since.getTime()) / DAY_MS);
  if (days < 1) return "under a day";
  if (days < 60) return `${days} day${days === 1 ? "" : "s"}`;
  if (days < 730) return `${Math.floor(days / 30)} months`;
  return `${Math.floor(days / 365)} years`;
}

const DATE = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export function formatDate(date: Date | null | undefined, fallback = "never"): string {
  return date ? DATE.format(date) : fallback;
}
