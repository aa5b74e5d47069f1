// The OpenAPI document is generated from the routes' zod schemas, and it lists every route under
// app/api/teams/: this test walks the folder, reads each route.ts's exported HTTP methods and looks each one
// up in the document. A route added without a spec entry (or an entry left behind by a removed route) fails.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

const TEAMS = path.resolve("app/api/teams");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** `[slug]/keys/[id]/route.ts` → `/api/teams/{slug}/keys/{id}`. */
function openApiPathOf(routeFile: string): string {
  const folder = path.dirname(path.relative(TEAMS, routeFile)).split(path.sep);
  const segments = folder.map((segment) => segment.replace(/^\[(\w+)\]$/, "{$1}"));
  return ["/api/teams", ...segments].join("/");
}

/** The HTTP methods a route module exports: `export const GET = …`, `export (async) function GET(…)`. */
function exportedMethods(source: string): string[] {
  return METHODS.filter((method) =>
    new RegExp(`^export\\s+(?:const|let|(?:async\\s+)?function)\\s+${method}\\b`, "m").test(source),
  ).map((method) => method.toLowerCase());
}

function routeOperations(): string[] {
  return readdirSync(TEAMS, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => path.join(TEAMS, file))
    .flatMap((file) =>
      exportedMethods(readFileSync(file, "utf8")).map((m) => `${m.toUpperCase()} ${openApiPathOf(file)}`),
    )
    .sort();
}

function documentedOperations(doc: ReturnType<typeof openApiDocument>): string[] {
  return Object.entries(doc.paths ?? {})
    .flatMap(([p, item]) =>
      Object.keys(item ?? {})
        .filter((key) => (METHODS as readonly string[]).includes(key.toUpperCase()))
        .map((m) => `${m.toUpperCase()} ${p}`),
    )
    .sort();
}

describe("the management API's OpenAPI document", () => {
  const doc = openApiDocument("https://keyward.example");

  it("lists every route under app/api/teams/, and nothing that is not one", () => {
    const routes = routeOperations();
    expect(routes.length).toBeGreaterThanOrEqual(13);
    expect(routes).toContain("GET /api/teams/{slug}/upstream-keys");
    expect(routes).toContain("GET /api/teams/{slug}/reencryption");
    expect(documentedOperations(doc)).toEqual(routes);
  });

  it("documents each path parameter the path names, and every operation's errors", () => {
    for (const [p, item] of Object.entries(doc.paths ?? {})) {
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item ?? {})) {
        if (!(METHODS as readonly string[]).includes(method.toUpperCase())) continue;
        const op = operation as { parameters?: { in: string; name: string; required?: boolean }[]; responses: object };
        const inPath = (op.parameters ?? []).filter((param) => param.in === "path");
        expect(inPath.map((param) => param.name).sort(), `${method} ${p}`).toEqual([...names].sort());
        expect(inPath.every((param) => param.required)).toBe(true);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["401", "403", "404", "422"]));
      }
    }
  });

  it("maps folders to paths and finds exported methods the way Next.js reads them", () => {
    expect(openApiPathOf(path.join(TEAMS, "[slug]/keys/[id]/route.ts"))).toBe("/api/teams/{slug}/keys/{id}");
    expect(
      exportedMethods("export const GET = withTeam(…);\nexport async function PATCH() {}\nconst DELETE = 1;"),
    ).toEqual(["get", "patch"]);
  });

  it("has schemas generated from the zod schemas the routes parse with", () => {
    expect(doc.openapi).toBe("3.1.0");
    const scopes = doc.components?.schemas?.KeyScopes as { properties?: Record<string, unknown> };
    expect(Object.keys(scopes.properties ?? {})).toEqual(
      expect.arrayContaining(["endpoints", "models", "limits", "budget", "expiresAt", "ipAllowList"]),
    );
    // A key's hash is never part of any key object (the audit chain's head has a hash of its own: public).
    const { AuditChainHead: _head, AuditChainVerification: _verification, ...others } = doc.components?.schemas ?? {};
    expect(JSON.stringify({ paths: doc.paths, schemas: others })).not.toMatch(/"hash"/);
    expect(doc.components?.securitySchemes?.managementKey).toMatchObject({ type: "http", scheme: "bearer" });
  });
});
