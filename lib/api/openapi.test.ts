import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

describe("the management API's OpenAPI document", () => {
  it("describes every management route, with schemas generated from the zod schemas the routes parse with", () => {
    const doc = openApiDocument("https://keyward.example");
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/teams/{slug}/keys",
      "/api/teams/{slug}/keys/{id}",
      "/api/teams/{slug}/members",
      "/api/teams/{slug}/members/{id}",
    ]);
    const scopes = doc.components.schemas.KeyScopes as { properties?: Record<string, unknown> };
    expect(Object.keys(scopes.properties ?? {})).toEqual(
      expect.arrayContaining(["endpoints", "models", "limits", "budget", "expiresAt", "ipAllowList"]),
    );
    expect(JSON.stringify(doc)).not.toMatch(/"hash"/); // a key's hash is never part of the API
    expect(doc.components.securitySchemes.managementKey).toMatchObject({ type: "http", scheme: "bearer" });
  });
});
