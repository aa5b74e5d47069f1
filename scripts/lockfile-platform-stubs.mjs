// Keeps `npm ci` working from a registry that does not serve every platform's optional binary.
//
// The npm registry reachable from our machines answers 404 for some other-platform optional packages
// (e.g. @next/swc-darwin-arm64, @tailwindcss/oxide-win32-x64-msvc). npm then leaves them out of
// package-lock.json, and `npm ci` refuses the lock as "out of sync" ("Missing: … from lock file"), on every
// fresh clone. This script adds an entry for each such package with the os/cpu/libc its name declares, so
// `npm ci` accepts the lock and skips them on platforms they are not for, exactly as it skips the real ones.
// Run it after changing dependencies: `npm run lock:fix` (CI runs `npm ci`, which proves the lock is whole).
//
// A stub has no integrity: on its own platform `npm ci` fetches name@version from the registry and checks the
// tarball only against the registry's answer. Where the registry serves the package, a real entry is better:
// delete the stubs and run `npm install --package-lock-only`, which resolves them with their integrity.
import { readFileSync, writeFileSync } from "node:fs";

const OS = ["darwin", "win32", "freebsd", "android", "openharmony", "linux", "netbsd", "openbsd", "sunos", "aix"];
const CPU = {
  arm64: "arm64",
  x64: "x64",
  ia32: "ia32",
  arm: "arm",
  loong64: "loong64",
  ppc64: "ppc64",
  riscv64: "riscv64",
  s390x: "s390x",
  wasm32: "wasm32",
};

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  if (!cpu) return null;
  const libc =
    os === "linux"
      ? parts.some((p) => p.startsWith("musl"))
        ? "musl"
        : parts.some((p) => p.startsWith("gnu"))
          ? "glibc"
          : null
      : null;
  return { ...(os ? { os: [os] } : {}), cpu: [cpu], ...(libc ? { libc: [libc] } : {}) };
}

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`${path}/${key}`]) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec))
      throw new Error(`Cannot stub ${name}@${spec}: not a platform package with an exact version.`);
    // npm reads a package's scripts from its lock entry, and from its package.json only when the entry says
    // hasInstallScript: without that, a stubbed package's install script would be skipped on its platform.
    // A stub cannot know, so it takes the word of its family's real entries.
    const hasInstallScript = Object.keys(entry.optionalDependencies).some(
      (sibling) => lock.packages[`node_modules/${sibling}`]?.hasInstallScript,
    );
    lock.packages[key] = {
      version: spec,
      dev: entry.dev,
      optional: true,
      ...platform,
      ...(hasInstallScript ? { hasInstallScript: true } : {}),
    };
    added.push(`${name}@${spec}`);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  added.length ? `Added ${added.length} platform entries: ${added.join(", ")}` : "Lockfile already complete.",
);
