// A CPU profile of Keyward's fast path under the benchmark's load: `npm run bench:profile [-- --seconds 10]`.
// Starts the mock and a seeded Keyward (the edge with --cpu-prof), loads it, stops it, and prints the
// functions with the most self time. The .cpuprofile stays in bench/results/profiles/ for Chrome DevTools.
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { setUpKeyward, startKeyward } from "./keyward";
import { runLoad } from "./load";
import { ROOT, stopAllChildren } from "./processes";
import { startUpstream } from "./servers";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    top: { type: "string", default: "30" },
  },
});
const options = z
  .object({
    seconds: z.coerce.number().int().min(1).max(120),
    connections: z.coerce.number().int().min(1).max(1000),
    top: z.coerce.number().int().min(1).max(200),
  })
  .parse(values);

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

function topSelfTime(profile: Profile, top: number): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^file:\/\//, "").replace(ROOT, "")}:${lineNumber + 1}` : "";
    const label = `${functionName || "(anonymous)"} ${where}`.trim();
    self.set(label, (self.get(label) ?? 0) + dt);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([label, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${label}`);
}

async function main(): Promise<void> {
  const dir = path.join(ROOT, "bench", "results", "profiles");
  await mkdir(dir, { recursive: true });
  const before = new Set(await readdir(dir));
  const setup = await setUpKeyward();
  try {
    const upstream = await startUpstream(0);
    const server = await startKeyward(setup, upstream, "keyward-fast-path", ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
    await runLoad(server.endpoint, { connections: options.connections, duration: 2 });
    const load = await runLoad(server.endpoint, { connections: options.connections, duration: options.seconds });
    process.stdout.write(`${load.rps.toFixed(0)} req/s, p99 ${load.p99_ms} ms while profiling\n`);
    await server.child.stop(); // SIGTERM: the profile is written on exit
    await upstream.child.stop();
  } finally {
    await stopAllChildren();
    await setup.close();
  }
  const written = (await readdir(dir)).filter((file) => file.endsWith(".cpuprofile") && !before.has(file));
  if (written.length === 0) throw new Error("no profile was written");
  for (const file of written) {
    const profile = JSON.parse(await readFile(path.join(dir, file), "utf8")) as Profile;
    process.stdout.write(
      `\n${file} (self time, share of all samples)\n${topSelfTime(profile, options.top).join("\n")}\n`,
    );
  }
}

main().catch(async (error: unknown) => {
  await stopAllChildren();
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
