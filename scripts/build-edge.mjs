// Builds the edge process (server.ts and what it imports from lib/) into one ES module, dist/server.mjs, which
// `npm start` runs with plain node: no TypeScript loader on the hot path (tsx keeps function names with a
// helper call on every closure, and runs its loader in a worker thread), and a smaller process. Packages stay
// external. Takes a few dozen milliseconds, so every start and every test run rebuilds it: never stale.
// `node scripts/build-edge.mjs`, or `import { buildEdge } from "./build-edge.mjs"`.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
export const EDGE_BUNDLE = path.join(root, "dist", "server.mjs");

export async function buildEdge() {
  await build({
    absWorkingDir: root,
    entryPoints: ["server.ts"],
    outfile: EDGE_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: "tsconfig.json",
    sourcemap: "linked",
    logLevel: "warning",
  });
  return EDGE_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildEdge();
}
