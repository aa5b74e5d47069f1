// `npm run test:stress`: the unit and integration suites while every core is kept busy, so a test whose
// verdict depends on how fast the machine happens to be fails here, on purpose, instead of once a week in CI.
// Our machines have 2 cores whose speed drifts by up to 2×, and CI may run while the machine is busy: a gate
// that passes on an idle machine and fails on a busy one gives two verdicts for the same code.
//
// The burners are plain busy loops at normal priority (contention is the point, a niced burner would yield).
// They stop with this script — on success, failure, SIGINT or SIGTERM — and on their own when it is gone
// (they watch its pid) or after BURNER_MAX_MS, so a killed run cannot leave a core spinning.
import { spawn } from "node:child_process";
import os from "node:os";

const BURNER_MAX_MS = 90 * 60 * 1000;
const BURNERS = os.availableParallelism();

// Spins in 100 ms slices; between slices it lets its event loop run and checks that the parent is alive.
const BURNER_SOURCE = `
const parent = Number(process.argv[1]);
const deadline = Date.now() + Number(process.argv[2]);
const parentAlive = () => {
  if (process.ppid !== parent) return false;
  try { process.kill(parent, 0); return true; } catch { return false; }
};
const spin = () => {
  const until = Date.now() + 100;
  while (Date.now() < until);
  if (Date.now() > deadline || !parentAlive()) process.exit(0);
  setImmediate(spin);
};
process.on("disconnect", () => process.exit(0));
spin();
`;

/** @type {import("node:child_process").ChildProcess[]} */
let burners = [];

function startBurners() {
  burners = Array.from({ length: BURNERS }, () =>
    spawn(process.execPath, ["-e", BURNER_SOURCE, String(process.pid), String(BURNER_MAX_MS)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
}

function stopBurners() {
  for (const burner of burners) if (burner.exitCode === null && burner.signalCode === null) burner.kill("SIGKILL");
  burners = [];
}

/** @type {import("node:child_process").ChildProcess | null} */
let current = null;
let interrupted = null;

/** Signals the running step's whole process group: npm, the shell under it, vitest and its workers. */
function signalStep(signal) {
  if (!current?.pid || current.exitCode !== null) return false;
  try {
    process.kill(-current.pid, signal);
    return true;
  } catch {
    return false;
  }
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopBurners();
    // A second signal: no more waiting for the step to shut down cleanly.
    if (interrupted) signalStep("SIGKILL");
    interrupted = signal;
    // The step's own handlers shut it down (vitest stops its workers, the integration teardown its server).
    if (!signalStep(signal)) process.exit(130);
  });
}
process.on("exit", stopBurners);

const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*m/g, "");

/** Runs `npm run <script>` (or a node script) with its output shown as it comes and kept for the summary. */
function run(label, command, args) {
  return new Promise((resolve) => {
    const started = performance.now();
    let output = "";
    console.log(`\n[stress] ${label}: ${command} ${args.join(" ")}`);
    // Its own process group, so that a signal to this script reaches every process of the step.
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: process.env, detached: true });
    current = child;
    const keep = (stream) => (chunk) => {
      stream.write(chunk);
      output += chunk.toString();
      if (output.length > 2_000_000) output = output.slice(-1_000_000);
    };
    child.stdout.on("data", keep(process.stdout));
    child.stderr.on("data", keep(process.stderr));
    child.on("error", (error) => {
      output += String(error);
    });
    child.on("close", (code, signal) => {
      current = null;
      const exitCode = code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1);
      resolve({ label, code: exitCode, seconds: (performance.now() - started) / 1000, output });
    });
  });
}

/** Vitest's "Test Files …" and "Tests  2 failed | 198 passed (200)" lines, and what failed. */
function summarize(output) {
  const lines = stripAnsi(output).split("\n");
  const last = (label) =>
    lines
      .findLast((l) => new RegExp(`^\\s*${label}\\s`).test(l))
      ?.replace(new RegExp(`^\\s*${label}\\s+`), "")
      .trim();
  const files = last("Test Files");
  const tests = last("Tests");
  if (!files && !tests) return { counts: "no test summary (the run did not finish)", failures: [] };
  const failures = [
    ...new Set(lines.filter((l) => /^\s*FAIL\s/.test(l)).map((l) => l.replace(/^\s*FAIL\s+/, "").trim())),
  ];
  return { counts: `files: ${files ?? "?"}; tests: ${tests ?? "?"}`, failures };
}

const results = [];
const startedAt = performance.now();

// The app build that the integration suites' server needs (as `npm test` does), before the burners start:
// it tests nothing, and a build under contention only takes twice as long.
const build = await run("build", process.execPath, ["scripts/ensure-build.mjs"]);
results.push({ ...build, summary: build.code === 0 ? "built" : "build failed", failures: [] });

if (build.code === 0 && !interrupted) {
  startBurners();
  console.log(
    `[stress] ${BURNERS} busy-loop burners on ${os.cpus().length} cores (pids ${burners.map((b) => b.pid).join(", ")})`,
  );
  for (const script of ["test:unit", "test:integration"]) {
    if (interrupted) break;
    const result = await run(script, "npm", ["run", script]);
    const { counts, failures } = summarize(result.output);
    results.push({ ...result, summary: counts, failures });
  }
  stopBurners();
}

const failed = results.find((r) => r.code !== 0);
const exitCode = interrupted ? 130 : (failed?.code ?? 0);
console.log("\n[stress] summary (CPU kept busy during the tests)");
for (const r of results) {
  console.log(
    `  ${r.label.padEnd(17)} ${r.code === 0 ? "ok    " : `exit ${r.code}`}  ${r.seconds.toFixed(1).padStart(6)} s  ${r.summary}`,
  );
  for (const failure of r.failures) console.log(`    FAIL ${failure}`);
}
console.log(
  `  ${"total".padEnd(17)} ${exitCode === 0 ? "ok    " : `exit ${exitCode}`}  ${((performance.now() - startedAt) / 1000).toFixed(1).padStart(6)} s  load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}${interrupted ? `  (interrupted by ${interrupted})` : ""}`,
);
process.exit(exitCode);
