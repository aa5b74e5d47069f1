// /v1/organization/projects[/:project_id[/service_accounts[/:service_account_id]]]: OpenAI's Admin API, admin key only.
// A service-account key works on the inference endpoints while its account exists and is refused (401) once it is
// deleted; the admin key works here and nowhere else. Shapes follow OpenAI's Admin API reference.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { sendFaultError } from "../faults";
import { invalidRequest, parseBody, sendError, sendJson } from "../http";
import {
  nextId,
  nowSeconds,
  type MockAdminState,
  type MockContext,
  type MockProject,
  type MockServiceAccount,
  type Route,
} from "../types";

export const ADMIN_PATH_PREFIX = "/v1/organization/";
export const MOCK_ADMIN_KEY = "sk-admin-mock-0d6f3c1e9a8b7c6d5e4f3a2b1c0d9e8f";
export const DEFAULT_MOCK_PROJECT = { id: "proj_mock", name: "Default project" };

// Spread into the mock's options schema (server.ts).
export const adminOptionsShape = {
  adminKey: z.string().min(1).default(MOCK_ADMIN_KEY),
  projects: z
    .array(z.object({ id: z.string().min(1), name: z.string().min(1) }))
    .refine((projects) => new Set(projects.map((p) => p.id)).size === projects.length, "project ids must be unique")
    .default([DEFAULT_MOCK_PROJECT]),
};

type AdminOptions = { adminKey: string; projects: { id: string; name: string }[] };

export function createAdminState(options: AdminOptions): MockAdminState {
  const created = nowSeconds();
  return {
    adminKey: options.adminKey,
    projects: options.projects.map((p) => ({ ...p, created_at: created })),
    accounts: [],
    issuedKeys: new Map(),
    faults: { create: { left: 0, status: 500 }, delete: { left: 0, status: 500 } },
    rejectNextIssued: 0,
  };
}

/**
 * The admin rules' verdict on a key: true or false when they decide it, null to fall back to the ordinary rule
 * for `sk-` keys. The admin key is refused off the admin paths, as an admin key is refused on inference upstream.
 */
export function adminKeyVerdict(admin: MockAdminState, path: string, key: string): boolean | null {
  if (path.startsWith(ADMIN_PATH_PREFIX)) return key === admin.adminKey;
  if (key === admin.adminKey) return false;
  return admin.issuedKeys.get(key) ?? null;
}

// What OpenAI answers a key that lacks the Admin API's scopes.
const FORBIDDEN = invalidRequest(
  "You have insufficient permissions for this operation. Missing scopes: api.management.write. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.",
);

function takeFault(ctx: MockContext, kind: "create" | "delete"): boolean {
  const fault = ctx.state.admin.faults[kind];
  if (fault.left <= 0) return false;
  fault.left -= 1;
  if (fault.status === 403) sendError(ctx.res, 403, FORBIDDEN);
  else sendFaultError(ctx.res, "500");
  return true;
}

const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().min(1).optional(),
});

// OpenAI's cursor pagination: `limit` (1–100, default 20) items after the one whose id is `after`.
function sendPage<T extends { id: string }>(ctx: MockContext, items: T[]): void {
  const search = new URLSearchParams(ctx.req.url?.split("?")[1] ?? "");
  const query = pageQuerySchema.safeParse({
    limit: search.get("limit") ?? undefined,
    after: search.get("after") ?? undefined,
  });
  if (!query.success) {
    const param = String(query.error.issues[0]?.path[0] ?? "limit");
    return sendError(ctx.res, 400, invalidRequest(`Invalid '${param}': ${query.error.issues[0]?.message}.`, param));
  }
  const { limit, after } = query.data;
  const cursor = after === undefined ? -1 : items.findIndex((item) => item.id === after);
  // An unknown cursor gives an empty page rather than the first one again, so no client can loop forever.
  const start = after !== undefined && cursor === -1 ? items.length : cursor + 1;
  const data = items.slice(start, start + limit);
  sendJson(ctx.res, 200, {
    object: "list",
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < items.length,
  });
}

function projectObject(project: MockProject) {
  return {
    id: project.id,
    object: "organization.project",
    name: project.name,
    created_at: project.created_at,
    archived_at: null,
    status: "active",
  };
}

function accountObject(account: MockServiceAccount) {
  return {
    object: "organization.project.service_account",
    id: account.id,
    name: account.name,
    role: "member",
    created_at: account.created_at,
  };
}

function notFound(ctx: MockContext, what: string, id: string): void {
  sendError(ctx.res, 404, invalidRequest(`No such ${what}: '${id}'`));
}

function findProject(ctx: MockContext, projectId: string): MockProject | null {
  const project = ctx.state.admin.projects.find((p) => p.id === projectId);
  if (!project) notFound(ctx, "project", projectId);
  return project ?? null;
}

function findAccount(ctx: MockContext, projectId: string, accountId: string): MockServiceAccount | null {
  if (!findProject(ctx, projectId)) return null;
  // Scoped by project: another project's account answers 404 like a missing one.
  const account = ctx.state.admin.accounts.find((a) => a.id === accountId && a.project_id === projectId);
  if (!account) notFound(ctx, "service account", accountId);
  return account ?? null;
}

const createAccountSchema = z.looseObject({ name: z.string().min(1) });

function createAccount(ctx: MockContext, projectId: string): void {
  if (takeFault(ctx, "create") || !findProject(ctx, projectId)) return;
  const body = parseBody(ctx, createAccountSchema);
  if (!body) return;
  const admin = ctx.state.admin;
  const created = nowSeconds();
  const key = `sk-svcacct-${randomBytes(32).toString("base64url")}`;
  const account = {
    id: nextId(ctx.state, "svc_acct_"),
    project_id: projectId,
    name: body.name,
    created_at: created,
    key,
  };
  const bornDead = admin.rejectNextIssued > 0;
  if (bornDead) admin.rejectNextIssued -= 1;
  admin.issuedKeys.set(key, !bornDead);
  admin.accounts.push(account);
  sendJson(ctx.res, 200, {
    ...accountObject(account),
    api_key: {
      object: "organization.project.service_account.api_key",
      value: key,
      name: "Secret Key",
      created_at: created,
      id: nextId(ctx.state, "key_"),
    },
  });
}

function deleteAccount(ctx: MockContext, projectId: string, accountId: string): void {
  if (takeFault(ctx, "delete")) return;
  const account = findAccount(ctx, projectId, accountId);
  if (!account) return;
  const admin = ctx.state.admin;
  admin.accounts = admin.accounts.filter((a) => a !== account);
  admin.issuedKeys.set(account.key, false);
  sendJson(ctx.res, 200, { object: "organization.project.service_account.deleted", id: account.id, deleted: true });
}

function segments(path: string): string[] | null {
  try {
    const parts = path.slice(ADMIN_PATH_PREFIX.length).split("/").map(decodeURIComponent);
    return parts.includes("") ? null : parts;
  } catch {
    return null;
  }
}

export function findAdminRoute(method: string, path: string): Route | null {
  const parts = segments(path);
  if (!parts || parts[0] !== "projects" || parts.length > 4) return null;
  const [, projectId, sub, accountId] = parts;
  const key = `${method} ${parts.length}`;
  if (key === "GET 1") return (ctx) => sendPage(ctx, ctx.state.admin.projects.map(projectObject));
  if (projectId === undefined) return null;
  if (key === "GET 2") {
    return (ctx) => {
      const project = findProject(ctx, projectId);
      if (project) sendJson(ctx.res, 200, projectObject(project));
    };
  }
  if (sub !== "service_accounts") return null;
  if (key === "POST 3") return (ctx) => createAccount(ctx, projectId);
  if (key === "GET 3") {
    return (ctx) => {
      if (!findProject(ctx, projectId)) return;
      sendPage(ctx, ctx.state.admin.accounts.filter((a) => a.project_id === projectId).map(accountObject));
    };
  }
  if (accountId === undefined) return null;
  if (key === "DELETE 4") return (ctx) => deleteAccount(ctx, projectId, accountId);
  if (key === "GET 4") {
    return (ctx) => {
      const account = findAccount(ctx, projectId, accountId);
      if (account) sendJson(ctx.res, 200, accountObject(account));
    };
  }
  return null;
}

export type MockServiceAccountView = ReturnType<typeof accountObject>;

export type MockAdminControls = {
  // The only key the Admin API accepts (option `adminKey`, default MOCK_ADMIN_KEY).
  adminKey: string;
  /**
   * The next `times` service-account creates (or deletes) fail before changing anything: 500 server_error by
   * default (a transient upstream failure), or 403 as OpenAI answers a key without the Admin API's scopes.
   */
  setAdminFault(kind: "create" | "delete", times?: number, status?: 500 | 403): void;
  // The next `count` service-account keys are issued as usual but refused (401) wherever they are used.
  rejectNextIssuedKeys(count: number): void;
  // The project's current service accounts, as the Admin API lists them.
  serviceAccounts(projectId: string): MockServiceAccountView[];
};

const countSchema = z.number().int().min(0);

export function adminControls(admin: MockAdminState): MockAdminControls {
  return {
    adminKey: admin.adminKey,
    setAdminFault: (kind, times = 1, status = 500) => {
      admin.faults[kind] = { left: countSchema.parse(times), status };
    },
    rejectNextIssuedKeys: (count) => void (admin.rejectNextIssued = countSchema.parse(count)),
    serviceAccounts: (projectId) => admin.accounts.filter((a) => a.project_id === projectId).map(accountObject),
  };
}
