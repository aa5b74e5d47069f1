// POST /v1/responses: the canned reply as a Response object, or as the typed SSE events OpenAI streams.
import { z } from "zod";
import { knownModel, parseBody, sendJson } from "../http";
import { contentChars, tokensForChars } from "../reply";
import { eventFrame, sendEvents } from "../sse";
import { nextId, nowSeconds, type MockContext } from "../types";

const responsesSchema = z.looseObject({
  model: z.string(),
  input: z.union([z.string(), z.array(z.looseObject({}))]).optional(),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
});

type ResponsesBody = z.infer<typeof responsesSchema>;

function inputTokens(body: ResponsesBody): number {
  let chars = body.instructions?.length ?? 0;
  if (typeof body.input === "string") chars += body.input.length;
  else for (const item of body.input ?? []) chars += contentChars(item.content);
  return tokensForChars(chars);
}

type Usage = {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
};

// The fields the SDK's Response type requires; `output_text` is left out on purpose: the SDK computes it.
function responseObject(
  id: string,
  body: ResponsesBody,
  createdAt: number,
  status: "in_progress" | "completed",
  output: unknown[],
  usage: Usage | null,
) {
  return {
    id,
    object: "response",
    created_at: createdAt,
    status,
    background: false,
    completed_at: status === "completed" ? createdAt : null,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: null,
    metadata: {},
    model: body.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: "default",
    store: true,
    temperature: 1,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    usage,
  };
}

export function createResponse(ctx: MockContext): void {
  const body = parseBody(ctx, responsesSchema);
  if (!body || !knownModel(ctx, body.model)) return;
  const id = nextId(ctx.state, "resp_");
  const itemId = nextId(ctx.state, "msg_");
  const createdAt = nowSeconds();
  const input = inputTokens(body);
  const output = ctx.reply.words.length;
  const usage: Usage = {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
  const part = { type: "output_text", annotations: [], logprobs: [], text: ctx.reply.text };
  const message = { id: itemId, type: "message", status: "completed", role: "assistant", content: [part] };
  const done = responseObject(id, body, createdAt, "completed", [message], usage);
  if (!body.stream) return sendJson(ctx.res, 200, done);

  // The event sequence OpenAI sends for one text message; the SDK's stream helper needs the item and part
  // announced before the first delta.
  const started = responseObject(id, body, createdAt, "in_progress", [], null);
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  const events: Record<string, unknown>[] = [
    { type: "response.created", response: started },
    { type: "response.in_progress", response: started },
    { type: "response.output_item.added", output_index: 0, item: { ...message, status: "in_progress", content: [] } },
    { type: "response.content_part.added", ...at, part: { ...part, text: "" } },
    ...ctx.reply.deltas.map((delta) => ({ type: "response.output_text.delta", ...at, delta, logprobs: [] })),
    { type: "response.output_text.done", ...at, text: ctx.reply.text, logprobs: [] },
    { type: "response.content_part.done", ...at, part },
    { type: "response.output_item.done", output_index: 0, item: message },
    { type: "response.completed", response: done },
  ];
  sendEvents(
    ctx,
    events.map((event, sequence) =>
      eventFrame(event.type as string, JSON.stringify({ ...event, sequence_number: sequence })),
    ),
  );
}
