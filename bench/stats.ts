// Percentiles over raw samples (exact, no histogram rounding: the first-chunk and paced sections need
// sub-millisecond differences).

/** Nearest-rank percentile; NaN for no data (printed as "n/a"). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
