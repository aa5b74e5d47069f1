// `npm start` on a fresh clone: generate the Prisma client, build the app when the sources changed since
// the last build (or there is none), and bundle the edge process (dist/server.mjs), so one command takes a
// newcomer from `npm ci` to a running app.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildEdge } from "./build-edge.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "prisma/schema.prisma",
  "package-lock.json",
  "next.config.ts",
  "proxy.ts",
  "postcss.config.mjs",
  "tsconfig.json",
];
const SKIP = new Set(["generated", "node_modules", "testing"]);
const isTest = (name) => /\.(int\.)?test\.tsx?$/.test(name);
const stampFile = path.join(root, ".next", "keyward-source-fingerprint");

function walk(entry, hash) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return;
  const stat = statSync(full);
  if (stat.isDirectory()) {
    for (const name of readdirSync(full).sort())
      if (!SKIP.has(name) && !isTest(name)) walk(path.join(entry, name), hash);
  } else {
    hash.update(`${entry}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
}

function fingerprint() {
  const hash = createHash("sha256");
  for (const source of SOURCES) walk(source, hash);
  return hash.digest("hex");
}

function run(args, label) {
  console.log(`[keyward] ${label}`);
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(path.join(root, "lib", "generated", "prisma", "client.ts"))) {
  run(["scripts/generate.mjs"], "Generating the database client…");
}
const current = fingerprint();
const built =
  existsSync(path.join(root, ".next", "BUILD_ID")) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, "utf8") === current;
if (!built) {
  run(
    ["node_modules/next/dist/bin/next", "build"],
    "Building the app (first start or changed sources; takes a minute or two)…",
  );
  writeFileSync(stampFile, current);
}
// The edge process's bundle: cheap enough to rebuild on every start, so it always matches server.ts and lib/.
await buildEdge();
