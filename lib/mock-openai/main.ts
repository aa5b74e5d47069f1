// Runs the mock OpenAI API on its own: `npm run mock-openai -- --port 4010 [--latency-ms N] [--chunk-delay-ms N]
// [--reply-words N]` (binds 127.0.0.1).
import { parseArgs } from "node:util";
import { z } from "zod";
import { startMockOpenAI } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    "latency-ms": { type: "string", default: "0" },
    "chunk-delay-ms": { type: "string", default: "0" },
    "reply-words": { type: "string", default: "8" },
  },
});
const options = z
  .object({
    port: z.coerce.number().int().min(0).max(65535),
    host: z.string().min(1),
    "latency-ms": z.coerce.number().min(0),
    "chunk-delay-ms": z.coerce.number().min(0),
    "reply-words": z.coerce.number().int().min(1),
  })
  .parse(values);
const mock = await startMockOpenAI({
  port: options.port,
  host: options.host,
  latencyMs: options["latency-ms"],
  chunkDelayMs: options["chunk-delay-ms"],
  replyWords: options["reply-words"],
});
process.stdout.write(`Mock OpenAI API on ${mock.baseUrl}\n`);
const stop = () => void mock.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
