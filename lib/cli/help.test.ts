// `keyward --help` needs no configuration and no database, marks required options, and stays light: the
// modules it loads before a command runs are the command tree and commander, nothing else.
import path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { runToExit } from "@/lib/testing/app-process";

const CLI = path.resolve("bin/keyward.mjs");
// No DATABASE_URL, AUTH_SECRET or ENCRYPTION_KEY: help must answer on a machine with no configuration.
const BARE_ENV = { PATH: process.env.PATH, NODE_ENV: "production" } as const;
const help = (...args: string[]) => runToExit(process.execPath, [CLI, ...args, "--help"], BARE_ENV);

describe("keyward --help", () => {
  it("lists every command", async () => {
    const top = await help();
    expect(top.code).toBe(0);
    for (const command of [
      "bootstrap",
      "migrate",
      "upstream",
      "keys",
      "policy",
      "members",
      "management-keys",
      "migrate-keys",
      "users",
      "audit",
    ]) {
      expect(top.output).toMatch(new RegExp(`^  ${command} `, "m"));
    }
    const keys = await help("keys");
    expect(keys.code).toBe(0);
    for (const command of ["create", "list", "revoke", "roll", "due"])
      expect(keys.output).toMatch(new RegExp(`^  ${command} `, "m"));
    for (const [group, commands] of [
      ["policy", ["get", "set"]],
      ["members", ["list", "role"]],
      ["management-keys", ["create"]],
      ["audit", ["export", "verify", "head", "prune"]],
    ] as const) {
      const listed = await help(group);
      expect(listed.code).toBe(0);
      for (const command of commands) expect(listed.output).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });

  it("marks required options, and only those", async () => {
    const revoke = await help("keys", "revoke");
    expect(revoke.output).toMatch(/--team <slug> +the team's slug \(required\)/);
    expect(revoke.output).toMatch(/--id <key-id> +the key's id, as keys list shows it \(required\)/);

    const list = await help("keys", "list");
    expect(list.output).toMatch(/--team <slug> +the team's slug \(required\)/);
    expect(list.output).toMatch(/--json +print JSON \(the REST API's key objects\) instead of a table\n/);

    const roll = await help("keys", "roll");
    expect(roll.output).toMatch(/--key <key-id> +the key's id, as keys list shows it \(required\)/);
    expect(roll.output).toMatch(/--overlap-hours <n> +hours the old key keeps working, 1-168 \(default: 24\)\n/);
    expect(roll.output).toMatch(/printed\s+once on stdout/);
    const due = await help("keys", "due");
    expect(due.output).toMatch(/--team <slug> +the team's slug \(default: every team\)\n/);
    expect(due.output).toMatch(/--json +print JSON instead of a table\n/);

    const set = await help("policy", "set");
    expect(set.output).toMatch(/--team <slug> +the team's slug \(required\)/);
    expect(set.output).toMatch(/--policy <file\|json> +the policy as JSON/);

    const role = await help("members", "role");
    expect(role.output).toMatch(/--member <email> +the member's e-mail address \(required\)/);
    expect(role.output).toMatch(/--role <role> +owner, admin, member, viewer or auditor \(required\)/);
    expect((await help("members", "list")).output).toMatch(/--json +print JSON \(the REST API's member objects\)/);

    const mgmt = await help("management-keys", "create");
    expect(mgmt.output).toMatch(/--scopes <list> +comma-separated: members\.read,/);
    expect(mgmt.output).toMatch(/--name <name> +a name for the key \(default: "CLI management key"\)\n/);
    expect(mgmt.output).toMatch(/printed once/);

    const exported = await help("audit", "export");
    expect(exported.output).toMatch(/--format <format> +csv or jsonl \(required\)/);
    expect(exported.output).toMatch(/--since <date> +only entries from this date or time on, e\.g\. 2026-12-01\n/);
    const verify = await help("audit", "verify");
    expect(verify.output).toMatch(/--team <slug> +the team's slug \(default: every team\)\n/);

    const rotate = await help("migrate-keys");
    expect(rotate.output).toMatch(/--from <version> +the key version the secrets use now \(required\)/);
    expect(rotate.output).toMatch(/--batch-size <n> +rows re-encrypted per transaction \(default: "500"\)\n/);
  });

  it("loads only commander and the command tree before a command runs", async () => {
    // esbuild's view of the import graph: static imports are what every invocation, --help included, loads.
    const { metafile } = await build({
      entryPoints: ["lib/cli/main.ts"],
      bundle: true,
      write: false,
      outdir: "out",
      format: "esm",
      splitting: true,
      platform: "node",
      packages: "external",
      tsconfig: "tsconfig.json",
      metafile: true,
      logLevel: "silent",
    });
    const loaded = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const { path: target, kind, external } of metafile.inputs[file]?.imports ?? []) {
        if (kind === "dynamic-import") continue;
        if (external) loaded.add(target);
        else visit(target);
      }
    };
    visit("lib/cli/main.ts");
    expect([...loaded].sort()).toEqual(["commander", "lib/cli/main.ts", "lib/cli/program.ts"]);
  });
});
