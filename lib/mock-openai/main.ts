// Runs the mock OpenAI API on its own: `npm run mock-openai -- --port 4010` (binds 127.0.0.1).
import { parseArgs } from "node:util";
import { z } from "zod";
import { startMockOpenAI } from "./server";

const { values } = parseArgs({ options: { port: { type: "string", default: "4010" }, host: { type: "string", default: "127.0.0.1" } } });
const options = z.object({ port: z.coerce.number().int().min(0).max(65535), host: z.string().min(1) }).parse(values);
const mock = await startMockOpenAI(options);
process.stdout.write(`Mock OpenAI API on ${mock.baseUrl}\n`);
const stop = () => void mock.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
