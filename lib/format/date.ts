// The dashboard's one date formatter: absolute dates, date-times, and how old something is.
// Dates are shown in UTC: the server renders them, and the server's own time zone is no better a guess at
// the reader's than UTC is, while UTC keeps the output the same on every machine (and in tests).
const DAY_MS = 24 * 60 * 60 * 1000;

const DATE = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const DATE_TIME = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

type MaybeDate = Date | null | undefined;

/** "Jan 5, 2026", or the fallback ("never") when there is no date. */
export function formatDate(date: MaybeDate, fallback = "never"): string {
  return date ? DATE.format(date) : fallback;
}

/** "Jan 5, 2026, 2:30 PM UTC", or the fallback ("never") when there is no date. */
export function formatDateTime(date: MaybeDate, fallback = "never"): string {
  return date ? `${DATE_TIME.format(date)} UTC` : fallback;
}

/**
 * "under a day", "1 day", "12 days", "3 months", "2 years": how old something is at `now`. `now` is a
 * parameter, not `new Date()` inside, so a page formats every row against the same instant and tests are
 * deterministic. A date in the future (clock skew) reads "under a day".
 */
export function formatAge(since: Date, now: Date): string {
  const days = Math.floor((now.getTime() - since.getTime()) / DAY_MS);
  if (days < 1) return "under a day";
  if (days < 60) return `${days} day${days === 1 ? "" : "s"}`;
  if (days < 730) return `${Math.floor(days / 30)} months`;
  return `${Math.floor(days / 365)} years`;
}

/** "Jan 5, 2026 (3 days old)": an absolute date with its age, for creation dates. */
export function formatDateWithAge(date: Date, now: Date): string {
  return `${formatDate(date)} (${formatAge(date, now)} old)`;
}
