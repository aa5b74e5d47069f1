// The management API's OpenAPI 3.1 document. Request and response schemas are generated from the same zod
// schemas the routes parse with, so the document cannot drift from what the API accepts and returns.
import { z } from "zod";
import { publicKeySchema } from "@/lib/keys/public";
import { keyScopesSchema } from "@/lib/keys/scopes";
import { createKeyJsonSchema, updateKeyJsonSchema } from "@/lib/validations/keys";

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (schema: object) => ({ content: { "application/json": { schema } } });
const data = (schema: object) => body({ type: "object", properties: { data: schema }, required: ["data"] });
const errors = {
  "401": { description: "Not signed in, or an invalid management key.", ...body(ref("Error")) },
  "403": { description: "The actor's role or the key's scopes do not allow this.", ...body(ref("Error")) },
  "404": { description: "No such team or key — or not yours to see.", ...body(ref("Error")) },
  "422": { description: "Invalid input; `fields` says which.", ...body(ref("Error")) },
};
const slug = { name: "slug", in: "path", required: true, schema: { type: "string" }, description: "The team's slug." };
const id = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Keyward management API",
      version: "1.0.0",
      description:
        "Manage a team's members and member keys. Authenticate with a session cookie or `Authorization: Bearer kw_mgmt_…` (a team management key).",
    },
    servers: [{ url: serverUrl }],
    security: [{ managementKey: [] }, { session: [] }],
    components: {
      securitySchemes: {
        managementKey: {
          type: "http",
          scheme: "bearer",
          description: "A team management key (kw_mgmt_…), created by an owner or admin.",
        },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: {
        KeyScopes: json(keyScopesSchema),
        Key: json(publicKeySchema),
        CreateKey: json(createKeyJsonSchema),
        UpdateKey: json(updateKeyJsonSchema),
        Member: {
          type: "object",
          properties: {
            id: { type: "string", format: "uuid" },
            role: { enum: ["owner", "admin", "member", "viewer"] },
            joinedAt: { type: "string", format: "date-time" },
            user: {
              type: "object",
              properties: { id: { type: "string" }, email: { type: "string" }, name: { type: "string" } },
            },
          },
        },
        Error: {
          type: "object",
          properties: {
            error: {
              type: "object",
              properties: { code: { type: "string" }, message: { type: "string" }, fields: { type: "object" } },
              required: ["code", "message"],
            },
          },
        },
      },
    },
    paths: {
      "/api/teams/{slug}/members": {
        get: {
          summary: "List the team's members",
          parameters: [slug],
          responses: {
            "200": { description: "The members.", ...data({ type: "array", items: ref("Member") }) },
            ...errors,
          },
        },
      },
      "/api/teams/{slug}/members/{id}": {
        delete: {
          summary: "Remove a member (revokes every key they hold in the team, at once)",
          parameters: [slug, id],
          responses: { "204": { description: "Removed." }, ...errors },
        },
      },
      "/api/teams/{slug}/keys": {
        get: {
          summary: "List member keys (your own; with api_keys.manage, the team's)",
          parameters: [slug, { name: "include", in: "query", schema: { enum: ["revoked"] } }],
          responses: {
            "200": { description: "The keys (never the secret).", ...data({ type: "array", items: ref("Key") }) },
            ...errors,
          },
        },
        post: {
          summary: "Issue a member key (for yourself, or with api_keys.manage for `memberEmail`)",
          parameters: [slug],
          requestBody: { required: true, ...body(ref("CreateKey")) },
          responses: {
            "201": {
              description: "The key, with `key` — the only time it is ever shown.",
              ...data({
                allOf: [ref("Key"), { type: "object", properties: { key: { type: "string" } }, required: ["key"] }],
              }),
            },
            ...errors,
          },
        },
      },
      "/api/teams/{slug}/keys/{id}": {
        get: {
          summary: "Read a member key",
          parameters: [slug, id],
          responses: { "200": { description: "The key.", ...data(ref("Key")) }, ...errors },
        },
        patch: {
          summary: "Rename a key or change its scopes (within the team policy)",
          parameters: [slug, id],
          requestBody: { required: true, ...body(ref("UpdateKey")) },
          responses: { "200": { description: "The updated key.", ...data(ref("Key")) }, ...errors },
        },
        delete: {
          summary: "Revoke a key (effective on the next request)",
          parameters: [slug, id],
          responses: { "204": { description: "Revoked." }, ...errors },
        },
      },
    },
  };
}
