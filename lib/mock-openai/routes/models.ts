// GET /v1/models and GET /v1/models/:id
import { invalidRequest, sendError, sendJson, sendJsonText } from "../http";
import { MOCK_MODELS, type MockContext } from "../types";

const CREATED = 1_700_000_000;

const MODEL_LIST = JSON.stringify({
  object: "list",
  data: MOCK_MODELS.map((id) => ({ id, object: "model", created: CREATED, owned_by: "openai" })),
});

export function listModels(ctx: MockContext): void {
  sendJsonText(ctx.res, 200, MODEL_LIST);
}

export function retrieveModel(ctx: MockContext): void {
  const model = ctx.param ?? "";
  if (!MOCK_MODELS.includes(model)) {
    return sendError(ctx.res, 404, invalidRequest(`The model '${model}' does not exist`, "model", "model_not_found"));
  }
  sendJson(ctx.res, 200, { id: model, object: "model", created: CREATED, owned_by: "openai" });
}
