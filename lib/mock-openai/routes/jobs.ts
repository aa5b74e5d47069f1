// POST/GET /v1/fine_tuning/jobs and /v1/assistants: objects in OpenAI's shapes, kept per server.
import { z } from "zod";
import { parseBody, sendJson } from "../http";
import { nextId, nowSeconds, type MockContext } from "../types";

const fineTuningSchema = z.looseObject({ model: z.string(), training_file: z.string() });
const assistantSchema = z.looseObject({ model: z.string(), name: z.string().nullish() });

export function createFineTuningJob(ctx: MockContext): void {
  const body = parseBody(ctx, fineTuningSchema);
  if (!body) return;
  const job = {
    id: nextId(ctx.state, "ftjob-"),
    object: "fine_tuning.job",
    created_at: nowSeconds(),
    model: body.model,
    training_file: body.training_file,
    status: "validating_files",
    fine_tuned_model: null,
  };
  ctx.state.fineTuningJobs.push(job);
  sendJson(ctx.res, 200, job);
}

export function listFineTuningJobs(ctx: MockContext): void {
  sendJson(ctx.res, 200, { object: "list", data: ctx.state.fineTuningJobs.slice(-20), has_more: false });
}

export function createAssistant(ctx: MockContext): void {
  const body = parseBody(ctx, assistantSchema);
  if (!body) return;
  const assistant = {
    id: nextId(ctx.state, "asst_"),
    object: "assistant",
    created_at: nowSeconds(),
    model: body.model,
    name: body.name ?? null,
    tools: [],
  };
  ctx.state.assistants.push(assistant);
  sendJson(ctx.res, 200, assistant);
}

export function listAssistants(ctx: MockContext): void {
  sendJson(ctx.res, 200, { object: "list", data: ctx.state.assistants.slice(-20), has_more: false });
}
