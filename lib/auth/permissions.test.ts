import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Role as PRISMA_ROLES } from "@/lib/generated/prisma/enums";
import { can, canManage, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission, type Role } from "./permissions";

const ROOT = process.cwd();
const ACTIONS_DIR = path.join(ROOT, "lib", "actions");

function read(file: string): string {
  return readFileSync(file, "utf8");
}

function actionFiles(): string[] {
  return readdirSync(ACTIONS_DIR)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
    .sort();
}

function routeFiles(): string[] {
  return readdirSync(path.join(ROOT, "app", "api"), { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => path.join(ROOT, "app", "api", file))
    .sort();
}

describe("the permission map", () => {
  it("has an entry for every role, made only of known permissions", () => {
    expect([...ROLES].sort()).toEqual(Object.values(PRISMA_ROLES).sort());
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) {
      for (const permission of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(permission);
    }
    expect(new Set(PERMISSIONS).size).toBe(PERMISSIONS.length);
  });

  // The whole matrix, spelled out: changing what a role may do must change this table too, on purpose.
  const MATRIX: Record<Permission, Record<Role, boolean>> = {
    "team.read": { owner: true, admin: true, member: true, viewer: true, auditor: true },
    "team.update": { owner: true, admin: false, member: false, viewer: false, auditor: false },
    "team.delete": { owner: true, admin: false, member: false, viewer: false, auditor: false },
    "security.policy": { owner: true, admin: false, member: false, viewer: false, auditor: false },
    "members.read": { owner: true, admin: true, member: true, viewer: true, auditor: true },
    "members.invite": { owner: true, admin: true, member: false, viewer: false, auditor: false },
    "members.update_role": { owner: true, admin: true, member: false, viewer: false, auditor: false },
    "members.remove": { owner: true, admin: true, member: false, viewer: false, auditor: false },
    "ownership.transfer": { owner: true, admin: false, member: false, viewer: false, auditor: false },
    "audit.read": { owner: true, admin: true, member: false, viewer: false, auditor: true },
    "audit.webhooks": { owner: true, admin: true, member: false, viewer: false, auditor: false },
    "upstream_keys.read": { owner: true, admin: true, member: false, viewer: false, auditor: false },
    "upstream_keys.write": { owner: true, admin: true, member: false, viewer: false, auditor: false },
    "api_keys.own": { owner: true, admin: true, member: true, viewer: true, auditor: false },
    "api_keys.manage": { owner: true, admin: true, member: false, viewer: false, auditor: false },
    "api_keys.policy": { owner: true, admin: true, member: false, viewer: false, auditor: false },
    "management_keys.write": { owner: true, admin: true, member: false, viewer: false, auditor: false },
  };

  it("grants exactly the role × permission matrix", () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...PERMISSIONS].sort());
    const actual = Object.fromEntries(
      PERMISSIONS.map((permission) => [
        permission,
        Object.fromEntries(ROLES.map((role) => [role, can(role, permission)])),
      ]),
    );
    expect(actual).toEqual(MATRIX);
  });
});

describe("every entry point goes through the map", () => {
  it("names only known permissions in actions and route handlers", () => {
    const files = [...actionFiles().map((name) => path.join(ACTIONS_DIR, name)), ...routeFiles()];
    const found: string[] = [];
    for (const file of files) {
      for (const match of read(file).matchAll(/permission:\s*["'`]([^"'`]+)["'`]/g))
        found.push(`${path.relative(ROOT, file)}: ${match[1]}`);
    }
    // Guards the scan itself: if the pattern stopped matching, the next assertion would pass vacuously.
    expect(found.length).toBeGreaterThanOrEqual(7);
    const unknown = found.filter((entry) => !(PERMISSIONS as readonly string[]).includes(entry.split(": ")[1] ?? ""));
    expect(unknown).toEqual([]);
  });

  it("exports from lib/actions only actions built by teamAction, userAction or publicAction", () => {
    const wrapped = /^export const \w+ = (teamAction|userAction|publicAction)(<.*>)?\(/;
    const offenders: Record<string, string[]> = {};
    for (const name of actionFiles()) {
      if (name === "safe-action.ts") continue;
      const exports = read(path.join(ACTIONS_DIR, name))
        .split("\n")
        .filter((line) => /^export\b/.test(line));
      expect(exports.length, name).toBeGreaterThan(0);
      const unwrapped = exports.filter((line) => !wrapped.test(line));
      if (unwrapped.length > 0) offenders[name] = unwrapped;
    }
    // The one exception, by name: the invite page's read-only lookup, which must work signed out.
    expect(offenders).toEqual({ "lookup-invite.ts": ["export async function lookupInviteAction(token: string) {"] });
  });

  it("keeps lookup-invite.ts read-only: it only describes the invite and reads the session", () => {
    const source = read(path.join(ACTIONS_DIR, "lookup-invite.ts"));
    const imports = [...source.matchAll(/^import \{([^}]+)\} from "([^"]+)";$/gm)].map(
      (m) => `${m[2]}: ${m[1]?.trim()}`,
    );
    expect(imports.sort()).toEqual([
      "@/lib/auth/current: currentSession",
      "@/lib/teams/invites: describeInvite",
      "@/lib/validations/team: inviteTokenSchema",
    ]);
    expect(source).not.toMatch(/\bdb\(|\$transaction|\.(create|update|upsert|delete)\w*\(/);
  });

  it("wraps every team route handler in withTeam", () => {
    const teamRoutes = routeFiles().filter((file) => file.includes(`${path.sep}teams${path.sep}`));
    expect(teamRoutes.length).toBeGreaterThan(0);
    for (const file of teamRoutes) {
      const exports = read(file)
        .split("\n")
        .filter((line) => /^export\b/.test(line));
      expect(exports.length, file).toBeGreaterThan(0);
      for (const line of exports)
        expect(line, file).toMatch(/^export const (GET|POST|PUT|PATCH|DELETE) = withTeam(<.*>)?\(/);
    }
  });
});

describe("canManage", () => {
  it("lets an owner manage anyone and grant any role", () => {
    for (const target of ROLES) {
      expect(canManage("owner", target)).toBe(true);
      for (const to of ROLES) expect(canManage("owner", target, to)).toBe(true);
    }
  });

  it("does not let an admin manage an owner or grant owner", () => {
    expect(canManage("admin", "owner")).toBe(false);
    expect(canManage("admin", "owner", "member")).toBe(false);
    expect(canManage("admin", "member", "owner")).toBe(false);
    expect(canManage("admin", "member", "viewer")).toBe(true);
    expect(canManage("admin", "viewer", "admin")).toBe(true);
    expect(canManage("admin", "admin")).toBe(true);
  });

  it("does not let a member grant admin or touch an admin", () => {
    expect(canManage("member", "viewer", "admin")).toBe(false);
    expect(canManage("member", "admin")).toBe(false);
    expect(canManage("member", "viewer", "member")).toBe(true);
    expect(canManage("viewer", "member")).toBe(false);
  });
});
