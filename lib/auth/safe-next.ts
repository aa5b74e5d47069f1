// Where to go after signing in: only paths on this site, so a crafted link cannot bounce a user elsewhere.
export function safeNextPath(value: string | string[] | null | undefined, fallback = "/dashboard"): string {
  const next = Array.isArray(value) ? value[0] : value;
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  return next;
}
