// POST /v1/moderations: every input passes (flagged false), with the categories OpenAI reports.
import { z } from "zod";
import { knownModel, parseBody, sendJson } from "../http";
import { nextId, type MockContext } from "../types";

const moderationsSchema = z.looseObject({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(z.string()).min(1), z.array(z.looseObject({ type: z.string() })).min(1)]),
});

const CATEGORIES = [
  "harassment",
  "harassment/threatening",
  "hate",
  "hate/threatening",
  "illicit",
  "illicit/violent",
  "self-harm",
  "self-harm/intent",
  "self-harm/instructions",
  "sexual",
  "sexual/minors",
  "violence",
  "violence/graphic",
];

const RESULT = {
  flagged: false,
  categories: Object.fromEntries(CATEGORIES.map((c) => [c, false])),
  category_scores: Object.fromEntries(CATEGORIES.map((c) => [c, 0.000001])),
  category_applied_input_types: Object.fromEntries(CATEGORIES.map((c) => [c, ["text"]])),
};

export function createModeration(ctx: MockContext): void {
  const body = parseBody(ctx, moderationsSchema);
  if (!body || (body.model !== undefined && !knownModel(ctx, body.model))) return;
  // Several strings are judged one by one; a list of multimodal parts is one input.
  const count = Array.isArray(body.input) && typeof body.input[0] === "string" ? body.input.length : 1;
  const results = Array.from({ length: count }, () => RESULT);
  sendJson(ctx.res, 200, { id: nextId(ctx.state, "modr-"), model: body.model ?? "omni-moderation-latest", results });
}
