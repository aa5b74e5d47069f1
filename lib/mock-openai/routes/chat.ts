// POST /v1/chat/completions: the canned reply as one JSON completion, or as chat.completion.chunk SSE frames.
import { z } from "zod";
import { knownModel, parseBody, sendJsonText } from "../http";
import { contentChars, tokensForChars } from "../reply";
import { dataFrame, sendEvents } from "../sse";
import { nextId, nowSeconds, type MockContext } from "../types";

const contentSchema = z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]);

// Loose objects: the mock reads only what it needs and must accept every other parameter OpenAI does.
const chatSchema = z.looseObject({
  model: z.string(),
  messages: z.array(z.looseObject({ role: z.string(), content: contentSchema.nullish() })).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
});

type ChatBody = z.infer<typeof chatSchema>;

const FINGERPRINT = `"service_tier":"default","system_fingerprint":"fp_mock"`;

function usageJson(prompt: number, completion: number): string {
  return (
    `{"prompt_tokens":${prompt},"completion_tokens":${completion},"total_tokens":${prompt + completion},` +
    `"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},` +
    `"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}`
  );
}

function promptTokens(body: ChatBody): number {
  let chars = 0;
  for (const message of body.messages) chars += contentChars(message.content);
  return tokensForChars(chars);
}

/** What the answer reports: its words, or the test's override, never more than the request allows. */
function completionTokens(ctx: MockContext, body: ChatBody): number {
  const tokens = ctx.state.completionTokens ?? ctx.reply.words.length;
  return Math.min(tokens, body.max_completion_tokens ?? body.max_tokens ?? Infinity);
}

// What OpenAI sends with every answer; the proxy passes them on (rate limits where it sets none).
const OPENAI_HEADERS = {
  "openai-processing-ms": "12",
  "x-ratelimit-limit-requests": "10000",
  "x-ratelimit-remaining-requests": "9999",
  "x-ratelimit-reset-requests": "6ms",
  "x-ratelimit-limit-tokens": "30000000",
  "x-ratelimit-remaining-tokens": "29999990",
  "x-ratelimit-reset-tokens": "0s",
};

export function chatCompletions(ctx: MockContext): void {
  const body = parseBody(ctx, chatSchema);
  if (!body || !knownModel(ctx, body.model)) return;
  const id = nextId(ctx.state, "chatcmpl-");
  const created = nowSeconds();
  const model = JSON.stringify(body.model);
  const usage = usageJson(promptTokens(body), completionTokens(ctx, body));
  if (body.stream)
    return streamChat(ctx, { id, created, model, usage, includeUsage: body.stream_options?.include_usage === true });
  // Built as a template rather than JSON.stringify of an object: this is the benchmark's hot path.
  const message = `{"role":"assistant","content":${ctx.reply.textJson},"refusal":null,"annotations":[]}`;
  sendJsonText(
    ctx.res,
    200,
    `{"id":"${id}","object":"chat.completion","created":${created},"model":${model},` +
      `"choices":[{"index":0,"message":${message},"logprobs":null,"finish_reason":"stop"}],"usage":${usage},${FINGERPRINT}}`,
    { ...OPENAI_HEADERS, "x-request-id": `req_${id}` },
  );
}

type StreamInput = { id: string; created: number; model: string; usage: string; includeUsage: boolean };

function streamChat(ctx: MockContext, { id, created, model, usage, includeUsage }: StreamInput): void {
  const head = `{"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${model},${FINGERPRINT},"choices":[`;
  // With include_usage, OpenAI sends `"usage":null` on every chunk and the numbers on one last chunk.
  const tail = includeUsage ? `],"usage":null}` : `]}`;
  const choice = (delta: string, finish: string) =>
    dataFrame(`${head}{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}${tail}`);
  const frames = [choice(`{"role":"assistant","content":"","refusal":null}`, "null")];
  for (const delta of ctx.reply.deltasJson) frames.push(choice(`{"content":${delta}}`, "null"));
  frames.push(choice("{}", `"stop"`));
  if (includeUsage) frames.push(dataFrame(`${head}],"usage":${usage}}`));
  frames.push("data: [DONE]\n\n");
  sendEvents(ctx, frames);
}
