// GET/POST /v1/files, GET /v1/files/:id, GET/POST /v1/batches, GET /v1/batches/:id: minimal objects kept in memory.
import { z } from "zod";
import { invalidRequest, parseBody, sendError, sendJson } from "../http";
import { nextId, nowSeconds, type MockContext, type MockFileObject } from "../types";

function page<T extends { id: string }>(data: T[]) {
  return { object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: false };
}

function notFound(ctx: MockContext, what: string): void {
  sendError(ctx.res, 404, invalidRequest(`No such ${what}: '${ctx.param ?? ""}'`, "id"));
}

export function listFiles(ctx: MockContext): void {
  sendJson(ctx.res, 200, page(ctx.state.files));
}

export function retrieveFile(ctx: MockContext): void {
  const file = ctx.state.files.find((f) => f.id === ctx.param);
  if (!file) return notFound(ctx, "File");
  sendJson(ctx.res, 200, file);
}

// The multipart body is only skimmed for the file name and purpose: the mock never needs the content.
export function uploadFile(ctx: MockContext): void {
  const type = ctx.req.headers["content-type"] ?? "";
  const text = ctx.raw?.toString("latin1") ?? "";
  const purpose = /name="purpose"\r\n\r\n([^\r]*)/.exec(text)?.[1];
  if (!type.startsWith("multipart/form-data") || !/name="file"/.test(text) || !purpose) {
    return sendError(
      ctx.res,
      400,
      invalidRequest("A multipart body with 'file' and 'purpose' is required.", purpose ? "file" : "purpose"),
    );
  }
  const file: MockFileObject = {
    id: nextId(ctx.state, "file-"),
    object: "file",
    bytes: ctx.raw?.length ?? 0,
    created_at: nowSeconds(),
    filename: /name="file"; filename="([^"]*)"/.exec(text)?.[1] ?? "upload",
    purpose,
    status: "processed",
  };
  ctx.state.files.push(file);
  sendJson(ctx.res, 200, file);
}

const batchSchema = z.looseObject({
  input_file_id: z.string().min(1),
  endpoint: z.string().min(1),
  completion_window: z.literal("24h"),
  metadata: z.record(z.string(), z.string()).nullish(),
});

export function createBatch(ctx: MockContext): void {
  const body = parseBody(ctx, batchSchema);
  if (!body) return;
  const created = nowSeconds();
  const batch = {
    id: nextId(ctx.state, "batch_"),
    object: "batch" as const,
    endpoint: body.endpoint,
    input_file_id: body.input_file_id,
    completion_window: body.completion_window,
    status: "validating",
    created_at: created,
    expires_at: created + 86_400,
    request_counts: { total: 0, completed: 0, failed: 0 },
    metadata: body.metadata ?? null,
  };
  ctx.state.batches.push(batch);
  sendJson(ctx.res, 200, batch);
}

export function listBatches(ctx: MockContext): void {
  sendJson(ctx.res, 200, page(ctx.state.batches));
}

export function retrieveBatch(ctx: MockContext): void {
  const batch = ctx.state.batches.find((b) => b.id === ctx.param);
  if (!batch) return notFound(ctx, "batch");
  sendJson(ctx.res, 200, batch);
}
