// The mock's Admin API: service accounts whose keys work on inference until deleted, and the faults rotation needs.
import OpenAI, { AuthenticationError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MOCK_ADMIN_KEY, startMockOpenAI, type MockOpenAI } from "./server";

let mock: MockOpenAI;

beforeAll(async () => {
  mock = await startMockOpenAI({
    projects: [
      { id: "proj_mock", name: "Default project" },
      { id: "proj_other", name: "Other" },
    ],
  });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.resetRequests();
  mock.setAdminFault("create", 0);
  mock.setAdminFault("delete", 0);
  mock.rejectNextIssuedKeys(0);
});

type Body = Record<string, unknown>;
type CreatedBody = Body & { id: string; created_at: number; api_key: { value: string } };

async function call<T = Body>(method: string, path: string, options: { key?: string | null; body?: unknown } = {}) {
  const key = options.key === undefined ? mock.adminKey : options.key;
  const response = await fetch(`${mock.baseUrl}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const createAccount = (name = "keyward-rotation", project = "proj_mock") =>
  call<CreatedBody>("POST", `/organization/projects/${project}/service_accounts`, { body: { name } });

async function chatStatus(key: string): Promise<number> {
  const client = new OpenAI({ apiKey: key, baseURL: mock.baseUrl, maxRetries: 0 });
  try {
    await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    return 200;
  } catch (error) {
    if (error instanceof AuthenticationError) {
      expect(error.code).toBe("invalid_api_key");
      return 401;
    }
    throw error;
  }
}

describe("projects", () => {
  it("lists and retrieves projects in OpenAI's shapes, paging by limit and after", async () => {
    const first = await call("GET", "/organization/projects?limit=1");
    expect(first).toEqual({
      status: 200,
      body: {
        object: "list",
        data: [
          {
            id: "proj_mock",
            object: "organization.project",
            name: "Default project",
            created_at: expect.any(Number),
            archived_at: null,
            status: "active",
          },
        ],
        first_id: "proj_mock",
        last_id: "proj_mock",
        has_more: true,
      },
    });
    const rest = await call("GET", "/organization/projects?limit=1&after=proj_mock");
    expect(rest.body).toMatchObject({ data: [{ id: "proj_other" }], has_more: false });
    const unknownCursor = await call("GET", "/organization/projects?after=proj_gone");
    expect(unknownCursor.body).toMatchObject({ data: [], first_id: null, has_more: false });
    const badLimit = await call("GET", "/organization/projects?limit=0");
    expect(badLimit).toMatchObject({ status: 400, body: { error: { param: "limit" } } });
    expect((await call("GET", "/organization/projects/proj_other")).body).toMatchObject({
      id: "proj_other",
      object: "organization.project",
      name: "Other",
    });
  });

  it("answers an unknown project with 404 in OpenAI's error shape, everywhere under it", async () => {
    for (const [method, path] of [
      ["GET", "/organization/projects/proj_nope"],
      ["GET", "/organization/projects/proj_nope/service_accounts"],
      ["POST", "/organization/projects/proj_nope/service_accounts"],
    ] as const) {
      const { status, body } = await call(method, path, method === "POST" ? { body: { name: "x" } } : {});
      expect(status).toBe(404);
      expect(body).toEqual({
        error: {
          message: expect.stringContaining("proj_nope"),
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      });
    }
  });

  it("has one default project when the option is left out", async () => {
    const other = await startMockOpenAI();
    try {
      expect(other.adminKey).toBe(MOCK_ADMIN_KEY);
      const response = await fetch(`${other.baseUrl}/organization/projects`, {
        headers: { authorization: `Bearer ${other.adminKey}` },
      });
      expect(await response.json()).toMatchObject({ data: [{ id: "proj_mock", name: "Default project" }] });
    } finally {
      await other.close();
    }
  });
});

describe("service accounts", () => {
  it("creates an account whose fresh key works on inference, and records the admin request", async () => {
    const { status, body } = await createAccount("rotation-1");
    expect(status).toBe(200);
    expect(body).toEqual({
      object: "organization.project.service_account",
      id: expect.stringMatching(/^svc_acct_/),
      name: "rotation-1",
      role: "member",
      created_at: expect.any(Number),
      api_key: {
        object: "organization.project.service_account.api_key",
        value: expect.stringMatching(/^sk-svcacct-[\w-]{40,}$/),
        name: "Secret Key",
        created_at: expect.any(Number),
        id: expect.stringMatching(/^key_/),
      },
    });
    expect(mock.requests[0]).toMatchObject({
      method: "POST",
      path: "/v1/organization/projects/proj_mock/service_accounts",
      keyHint: mock.adminKey.slice(-4),
    });
    expect(await chatStatus(body.api_key.value)).toBe(200);
    const again = await createAccount("rotation-1");
    expect(again.body.api_key.value).not.toBe(body.api_key.value);
    expect(again.body.id).not.toBe(body.id);
  });

  it("lists and retrieves accounts without key values, per project", async () => {
    const { body: created } = await createAccount("listed", "proj_other");
    const list = await call("GET", "/organization/projects/proj_other/service_accounts");
    const account = { object: "organization.project.service_account", id: created.id, name: "listed", role: "member" };
    expect(list.body).toMatchObject({ object: "list", data: [account], first_id: created.id, has_more: false });
    expect(JSON.stringify(list.body)).not.toContain(created.api_key.value);
    const one = await call("GET", `/organization/projects/proj_other/service_accounts/${created.id}`);
    expect(one.body).toEqual({ ...account, created_at: created.created_at });
    expect(mock.serviceAccounts("proj_other")).toEqual([one.body]);
    // Another project's account is not found through this one.
    expect((await call("GET", `/organization/projects/proj_mock/service_accounts/${created.id}`)).status).toBe(404);
  });

  it("deletes an account, after which its key is refused on every endpoint", async () => {
    const { body: created } = await createAccount("doomed");
    const path = `/organization/projects/proj_mock/service_accounts/${created.id}`;
    expect(await call("DELETE", path)).toEqual({
      status: 200,
      body: { object: "organization.project.service_account.deleted", id: created.id, deleted: true },
    });
    expect(await chatStatus(created.api_key.value)).toBe(401);
    expect((await call("GET", "/models", { key: created.api_key.value })).status).toBe(401);
    expect((await call("GET", "/organization/projects", { key: created.api_key.value })).status).toBe(401);
    expect(mock.serviceAccounts("proj_mock").map((a) => a.id)).not.toContain(created.id);
    expect((await call("DELETE", path)).status).toBe(404);
    expect((await call("GET", path)).status).toBe(404);
    // Keys the mock never issued keep the ordinary rule.
    expect(await chatStatus("sk-test-still-fine")).toBe(200);
  });

  it("answers a missing, empty or non-string name, or bad JSON, with 400", async () => {
    const path = "/organization/projects/proj_mock/service_accounts";
    for (const body of [undefined, {}, { name: "" }, { name: 42 }]) {
      const response = await call("POST", path, { body });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ type: "invalid_request_error" });
    }
    const raw = await fetch(`${mock.baseUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${mock.adminKey}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(raw.status).toBe(400);
    expect(mock.serviceAccounts("proj_mock").some((a) => a.name === "")).toBe(false);
  });
});

describe("keys", () => {
  it("refuses the admin key on inference and any other key on the admin API, with 401 invalid_api_key", async () => {
    expect(await chatStatus(mock.adminKey)).toBe(401);
    for (const key of ["sk-test-abcd", "sk-admin-other", null]) {
      const { status, body } = await call("GET", "/organization/projects", { key });
      expect(status).toBe(401);
      expect(body.error).toMatchObject({ type: "invalid_request_error", code: key ? "invalid_api_key" : null });
    }
    const { body: created } = await createAccount("not-an-admin");
    expect((await call("GET", "/organization/projects", { key: created.api_key.value })).status).toBe(401);
  });

  it("takes the admin key given as an option", async () => {
    const other = await startMockOpenAI({ adminKey: "sk-admin-custom-1234" });
    try {
      const list = (key: string) =>
        fetch(`${other.baseUrl}/organization/projects`, { headers: { authorization: `Bearer ${key}` } });
      expect(other.adminKey).toBe("sk-admin-custom-1234");
      expect((await list("sk-admin-custom-1234")).status).toBe(200);
      expect((await list(MOCK_ADMIN_KEY)).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe("faults", () => {
  it("setAdminFault('create', n) fails the next n creates with 500 server_error and creates nothing", async () => {
    const before = mock.serviceAccounts("proj_mock").length;
    mock.setAdminFault("create", 2);
    for (let i = 0; i < 2; i += 1) {
      const { status, body } = await createAccount("faulty");
      expect(status).toBe(500);
      expect(body.error).toMatchObject({ type: "server_error" });
    }
    expect(mock.serviceAccounts("proj_mock")).toHaveLength(before);
    expect((await createAccount("fine")).status).toBe(200);
  });

  it("setAdminFault(kind, 1, 403) answers as a key without the Admin API's scopes", async () => {
    mock.setAdminFault("create", 1, 403);
    const { status, body } = await createAccount("forbidden");
    expect(status).toBe(403);
    expect(body.error).toMatchObject({
      type: "invalid_request_error",
      message: expect.stringContaining("permissions"),
    });
  });

  it("setAdminFault('delete') fails the next delete with 500, leaving the account and its key working", async () => {
    const { body: created } = await createAccount("sticky");
    const path = `/organization/projects/proj_mock/service_accounts/${created.id}`;
    mock.setAdminFault("delete");
    expect((await call("DELETE", path)).status).toBe(500);
    expect(mock.serviceAccounts("proj_mock").map((a) => a.id)).toContain(created.id);
    expect(await chatStatus(created.api_key.value)).toBe(200);
    expect((await call("DELETE", path)).status).toBe(200);
    expect(await chatStatus(created.api_key.value)).toBe(401);
  });

  it("rejectNextIssuedKeys(n) issues the next n keys as usual, but they are refused on use", async () => {
    mock.rejectNextIssuedKeys(1);
    const dead = await createAccount("born-dead");
    const alive = await createAccount("alive");
    expect(dead.status).toBe(200);
    expect(dead.body.api_key.value).toMatch(/^sk-svcacct-/);
    expect(mock.serviceAccounts("proj_mock").map((a) => a.id)).toContain(dead.body.id);
    expect(await chatStatus(dead.body.api_key.value)).toBe(401);
    expect(await chatStatus(alive.body.api_key.value)).toBe(200);
  });

  it("rejects a negative or fractional count", () => {
    expect(() => mock.setAdminFault("create", -1)).toThrow();
    expect(() => mock.rejectNextIssuedKeys(1.5)).toThrow();
  });
});
