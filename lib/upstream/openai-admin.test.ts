// The Admin API client against the real mock upstream: shapes, paging, errors, and no secret in any error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockOpenAI, type MockOpenAI } from "@/lib/mock-openai/server";
import { createOpenAIAdminClient, OpenAIAdminError, type OpenAIAdminClient } from "./openai-admin";

let mock: MockOpenAI;
let admin: OpenAIAdminClient;
// 150 projects: more than one page of 100.
const projects = Array.from({ length: 150 }, (_, i) => ({ id: `proj_${i}`, name: `Project ${i}` }));

beforeAll(async () => {
  mock = await startMockOpenAI({ projects });
  admin = createOpenAIAdminClient({ baseUrl: mock.baseUrl, adminKey: mock.adminKey });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.resetRequests();
  mock.setFault(null);
  mock.setAdminFault("create", 0);
  mock.setAdminFault("delete", 0);
});

async function rejection(promise: Promise<unknown>): Promise<OpenAIAdminError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenAIAdminError);
  return error as OpenAIAdminError;
}

async function chatStatus(key: string): Promise<number> {
  const response = await fetch(`${mock.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  });
  await response.body?.cancel();
  return response.status;
}

// What no error message may contain: the admin key, or its tail that OpenAI's masked echo keeps.
function expectNoSecret(error: Error, ...secrets: string[]): void {
  for (const secret of secrets) {
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(secret.slice(-4));
  }
}

const jsonFetch =
  (status: number, body: unknown): typeof fetch =>
  async () =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("projects", () => {
  it("lists every project across pages, with dates", async () => {
    const listed = await admin.listProjects();
    expect(listed.map((p) => p.id)).toEqual(projects.map((p) => p.id));
    expect(listed[0]).toEqual({
      id: "proj_0",
      name: "Project 0",
      status: "active",
      createdAt: expect.any(Date),
      archivedAt: null,
    });
    expect(mock.requests.filter((r) => r.path === "/v1/organization/projects")).toHaveLength(2);
  });

  it("gets one project, and an unknown one is a 404 OpenAIAdminError carrying OpenAI's message", async () => {
    expect(await admin.getProject("proj_7")).toMatchObject({ id: "proj_7", name: "Project 7" });
    const error = await rejection(admin.getProject("proj_nope"));
    expect(error).toMatchObject({ status: 404, name: "OpenAIAdminError" });
    expect(error.message).toContain("No such project: 'proj_nope'");
  });
});

describe("service accounts", () => {
  it("creates an account whose key works, lists it, deletes it, and the key stops working", async () => {
    const created = await admin.createServiceAccount("proj_1", "keyward-rotation");
    expect(created).toEqual({
      id: expect.stringMatching(/^svc_acct_/),
      name: "keyward-rotation",
      apiKey: { id: expect.stringMatching(/^key_/), value: expect.stringMatching(/^sk-svcacct-/) },
    });
    expect(await chatStatus(created.apiKey.value)).toBe(200);
    expect(await admin.listServiceAccounts("proj_1")).toEqual([
      { id: created.id, name: "keyward-rotation", role: "member", createdAt: expect.any(Date) },
    ]);
    await admin.deleteServiceAccount("proj_1", created.id);
    expect(await chatStatus(created.apiKey.value)).toBe(401);
    expect(mock.serviceAccounts("proj_1")).toEqual([]);
    const again = await rejection(admin.deleteServiceAccount("proj_1", created.id));
    expect(again.status).toBe(404);
  });

  it("a failed create or delete is an OpenAIAdminError with the status and no key in it", async () => {
    mock.setAdminFault("create");
    const createError = await rejection(admin.createServiceAccount("proj_2", "x"));
    expect(createError).toMatchObject({ status: 500, code: "server_error" });
    expect(createError.message).toMatch(
      /^OpenAI Admin API POST \/organization\/projects\/proj_2\/service_accounts failed/,
    );
    expectNoSecret(createError, mock.adminKey);

    const created = await admin.createServiceAccount("proj_2", "y");
    mock.setAdminFault("delete", 1, 403);
    const deleteError = await rejection(admin.deleteServiceAccount("proj_2", created.id));
    expect(deleteError.status).toBe(403);
    expectNoSecret(deleteError, mock.adminKey, created.apiKey.value);
    expect(await chatStatus(created.apiKey.value)).toBe(200);
  });

  it("a key the upstream refuses is reported as the upstream says, without the key", async () => {
    const wrong = createOpenAIAdminClient({ baseUrl: mock.baseUrl, adminKey: "sk-admin-wrong-Q7zX" });
    const error = await rejection(wrong.listProjects());
    expect(error).toMatchObject({ status: 401, code: "invalid_api_key" });
    expect(error.message).toContain("Incorrect API key provided: sk-[redacted]");
    expectNoSecret(error, "sk-admin-wrong-Q7zX");
  });
});

describe("what the client refuses", () => {
  const options = { baseUrl: "https://api.openai.com/v1", adminKey: "sk-admin-secret-W9pL" };

  it("an unexpected shape names the fields, never the values", async () => {
    const value = "sk-svcacct-LEAKED-VALUE-abc1";
    const client = createOpenAIAdminClient({
      ...options,
      fetch: jsonFetch(200, { object: "organization.project.service_account", id: "svc", name: 1, api_key: value }),
    });
    const error = await rejection(client.createServiceAccount("proj", "n"));
    expect(error.status).toBe(200);
    expect(error.message).toContain("unexpected shape (name, role, created_at, api_key)");
    expectNoSecret(error, value, options.adminKey);
  });

  it("scrubs keys out of OpenAI's error message", async () => {
    const message = `Bad request for ${options.adminKey} and sk-svcacct-ECHOED-zz99`;
    const client = createOpenAIAdminClient({ ...options, fetch: jsonFetch(400, { error: { message, type: "x" } }) });
    const error = await rejection(client.getProject("proj"));
    expect(error).toMatchObject({ status: 400, code: "x" });
    expectNoSecret(error, options.adminKey, "sk-svcacct-ECHOED-zz99");
  });

  it("an error without OpenAI's error body still says what failed", async () => {
    const client = createOpenAIAdminClient({
      ...options,
      fetch: async () => new Response("<html>Bad gateway</html>", { status: 502 }),
    });
    const error = await rejection(client.listProjects());
    expect(error).toMatchObject({ status: 502, code: null });
    expect(error.message).toContain("failed with 502");
  });

  it("no answer is status null: a refused connection, or a timeout", async () => {
    const closed = await startMockOpenAI();
    await closed.close();
    const unreachable = createOpenAIAdminClient({ baseUrl: closed.baseUrl, adminKey: options.adminKey });
    const refused = await rejection(unreachable.listProjects());
    expect(refused.status).toBeNull();
    expect(refused.cause).toBeDefined();
    expectNoSecret(refused, options.adminKey);

    mock.setFault("hang");
    const slow = createOpenAIAdminClient({ baseUrl: mock.baseUrl, adminKey: mock.adminKey, timeoutMs: 100 });
    const timedOut = await rejection(slow.getProject("proj_0"));
    expect(timedOut.status).toBeNull();
    expect(timedOut.message).toContain("no answer within 100 ms");
  });

  it("refuses a base URL that is not http(s), without echoing the key", () => {
    for (const baseUrl of ["not a url", "ftp://example.com/v1"]) {
      expect(() => createOpenAIAdminClient({ ...options, baseUrl })).toThrow();
      try {
        createOpenAIAdminClient({ ...options, baseUrl });
      } catch (error) {
        expect(String(error)).not.toContain(options.adminKey);
      }
    }
  });
});
