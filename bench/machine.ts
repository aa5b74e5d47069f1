// How much of the machine other work took during the run. Everything here shares 2 cores, so a build or a
// test suite running beside the benchmark changes every row; the results say how much CPU that was.
import { readFileSync } from "node:fs";
import { processTree, statFields } from "./processes";

export type CpuSnapshot = { total: number; busy: number; ours: number };

/** Clock ticks: all CPUs' total and busy time (/proc/stat), and the time used by the harness's own tree. */
export function cpuSnapshot(): CpuSnapshot {
  const [, ...ticks] = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.slice(0, 8).map(Number) as number[];
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { total: busy + (idle ?? 0) + (iowait ?? 0), busy, ours: treeTicks() };
}

/** utime + stime + cutime + cstime (fields 14–17) of the harness and of each live descendant. */
function treeTicks(): number {
  return processTree(process.pid).reduce((sum, pid) => {
    const fields = statFields(pid);
    // statFields starts at field 3 (state): utime is field 14, so index 11.
    return sum + fields.slice(11, 15).reduce((a, b) => a + Number(b || 0), 0);
  }, 0);
}

/** Percent of the machine's CPU capacity used by processes outside the benchmark between two snapshots. */
export function otherCpuPercent(before: CpuSnapshot, after: CpuSnapshot): number {
  const total = after.total - before.total;
  const other = after.busy - before.busy - (after.ours - before.ours);
  return total > 0 ? Math.max(0, (other / total) * 100) : Number.NaN;
}
