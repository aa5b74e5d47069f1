// OpenAI's Admin API, the part key rotation needs: projects, and their service accounts (each created with one key).
// No secret leaves this module in an error: a message names the method, the path and OpenAI's own message with
// anything key-shaped blanked out (OpenAI echoes a masked key on 401), never a header or a body. Nothing is logged.
import { z } from "zod";

export const ADMIN_TIMEOUT_MS = 30_000;
// OpenAI's largest page; MAX_PAGES of them is far above its 2,000-project default quota.
const PAGE_LIMIT = 100;
const MAX_PAGES = 100;

export class OpenAIAdminError extends Error {
  override readonly name = "OpenAIAdminError";
  constructor(
    message: string,
    // The HTTP status; null when no answer came (network failure or timeout).
    readonly status: number | null,
    // OpenAI's error code (e.g. "invalid_api_key") or, without one, its error type.
    readonly code: string | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const optionsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, "")),
  adminKey: z.string().min(1),
  timeoutMs: z.number().int().positive().default(ADMIN_TIMEOUT_MS),
});

export type OpenAIAdminClientOptions = z.input<typeof optionsSchema> & { fetch?: typeof fetch };

const errorBodySchema = z.object({
  error: z.object({ message: z.string(), type: z.string().nullish(), code: z.string().nullish() }),
});

const projectSchema = z.object({
  object: z.literal("organization.project"),
  id: z.string().min(1),
  name: z.string().nullish(),
  created_at: z.number(),
  archived_at: z.number().nullish(),
  status: z.string().nullish(),
});

const serviceAccountSchema = z.object({
  object: z.literal("organization.project.service_account"),
  id: z.string().min(1),
  name: z.string(),
  role: z.string(),
  created_at: z.number(),
});

const createdServiceAccountSchema = serviceAccountSchema.extend({
  // null when created with create_service_account_only, which this client never sends.
  api_key: z
    .object({
      object: z.literal("organization.project.service_account.api_key"),
      id: z.string().min(1),
      value: z.string().min(1),
    })
    .nullable(),
});

const deletedSchema = z.object({
  object: z.literal("organization.project.service_account.deleted"),
  id: z.string(),
  deleted: z.boolean(),
});

function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    object: z.literal("list"),
    data: z.array(item),
    last_id: z.string().nullish(),
    has_more: z.boolean(),
  });
}

export type AdminProject = {
  id: string;
  name: string | null;
  // "active" or "archived".
  status: string | null;
  createdAt: Date;
  archivedAt: Date | null;
};
export type AdminServiceAccount = { id: string; name: string; role: string; createdAt: Date };
export type CreatedServiceAccount = { id: string; name: string; apiKey: { id: string; value: string } };

export type OpenAIAdminClient = {
  listProjects(): Promise<AdminProject[]>;
  getProject(projectId: string): Promise<AdminProject>;
  listServiceAccounts(projectId: string): Promise<AdminServiceAccount[]>;
  /** The returned apiKey.value is shown this once by OpenAI: store it (encrypted) before anything else. */
  createServiceAccount(projectId: string, name: string): Promise<CreatedServiceAccount>;
  /** Deletes the account and with it its keys. An account already gone throws with status 404. */
  deleteServiceAccount(projectId: string, serviceAccountId: string): Promise<void>;
};

const KEY_SHAPED = /sk-[A-Za-z0-9_*.-]*/g;

function scrub(message: string, adminKey: string): string {
  return message.split(adminKey).join("[redacted]").replace(KEY_SHAPED, "sk-[redacted]").slice(0, 500);
}

const seconds = (value: number): Date => new Date(value * 1000);

function toProject(p: z.output<typeof projectSchema>): AdminProject {
  return {
    id: p.id,
    name: p.name ?? null,
    status: p.status ?? null,
    createdAt: seconds(p.created_at),
    archivedAt: p.archived_at == null ? null : seconds(p.archived_at),
  };
}

function toServiceAccount(a: z.output<typeof serviceAccountSchema>): AdminServiceAccount {
  return { id: a.id, name: a.name, role: a.role, createdAt: seconds(a.created_at) };
}

export function createOpenAIAdminClient(options: OpenAIAdminClientOptions): OpenAIAdminClient {
  const { baseUrl, adminKey, timeoutMs } = optionsSchema.parse(options);
  const fetchImpl = options.fetch ?? fetch;

  async function request<T extends z.ZodType>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    schema: T,
    body?: unknown,
  ): Promise<z.output<T>> {
    const what = `OpenAI Admin API ${method} ${path.split("?")[0]}`;
    let status: number | null = null;
    let text: string;
    try {
      const response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminKey}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === "TimeoutError";
      const reason = timedOut ? `no answer within ${timeoutMs} ms` : "the request failed";
      throw new OpenAIAdminError(`${what}: ${reason}`, status, null, { cause });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (status < 200 || status > 299) {
      const error = errorBodySchema.safeParse(json).data?.error;
      const message = error ? scrub(error.message, adminKey) : "no OpenAI error in the body";
      throw new OpenAIAdminError(
        `${what} failed with ${status}: ${message}`,
        status,
        error?.code ?? error?.type ?? null,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      // Only the paths of what did not match: a value could be a key.
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "body"))].join(", ");
      throw new OpenAIAdminError(`${what} answered an unexpected shape (${fields})`, status);
    }
    return parsed.data;
  }

  async function listAll<T extends z.ZodType>(path: string, item: T): Promise<z.output<T>[]> {
    const items: z.output<T>[] = [];
    const schema = pageSchema(item);
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const query = new URLSearchParams({ limit: String(PAGE_LIMIT), ...(after ? { after } : {}) });
      const body = await request("GET", `${path}?${query}`, schema);
      items.push(...body.data);
      if (!body.has_more) return items;
      const last = (body.data.at(-1) as { id?: string } | undefined)?.id ?? body.last_id ?? undefined;
      if (!last || last === after) throw new OpenAIAdminError(`OpenAI Admin API GET ${path}: paging stalled`, 200);
      after = last;
    }
    throw new OpenAIAdminError(`OpenAI Admin API GET ${path}: more than ${MAX_PAGES} pages`, 200);
  }

  const projectPath = (projectId: string) => `/organization/projects/${encodeURIComponent(projectId)}`;
  const accountsPath = (projectId: string) => `${projectPath(projectId)}/service_accounts`;

  return {
    listProjects: async () => (await listAll("/organization/projects", projectSchema)).map(toProject),
    getProject: async (projectId) => toProject(await request("GET", projectPath(projectId), projectSchema)),
    listServiceAccounts: async (projectId) =>
      (await listAll(accountsPath(projectId), serviceAccountSchema)).map(toServiceAccount),
    createServiceAccount: async (projectId, name) => {
      const path = accountsPath(projectId);
      const created = await request("POST", path, createdServiceAccountSchema, { name });
      if (!created.api_key) throw new OpenAIAdminError(`OpenAI Admin API POST ${path}: no API key returned`, 200);
      return { id: created.id, name: created.name, apiKey: { id: created.api_key.id, value: created.api_key.value } };
    },
    deleteServiceAccount: async (projectId, serviceAccountId) => {
      const path = `${accountsPath(projectId)}/${encodeURIComponent(serviceAccountId)}`;
      const deleted = await request("DELETE", path, deletedSchema);
      if (!deleted.deleted) throw new OpenAIAdminError(`OpenAI Admin API DELETE ${path}: not deleted`, 200);
    },
  };
}
