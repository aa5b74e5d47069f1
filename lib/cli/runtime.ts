// What every CLI command's action shares: messages on stderr, its options parsed with zod, the team it acts
// on, and the runtime (configuration, database, migrations) for the duration of one command. Imported only
// by the actions, which program.ts loads when a command runs.
import type { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { disconnectDb } from "@/lib/db/client";
import { prepareRuntime } from "@/lib/server/runtime";
import { operatorTeamScope } from "@/lib/teams/teams";

export const say = (message: string): void => void process.stderr.write(`${message}\n`);

export async function withRuntime<T>(fn: () => Promise<T>): Promise<T> {
  const runtime = await prepareRuntime({ log: () => undefined, notice: say });
  try {
    return await fn();
  } finally {
    await disconnectDb();
    await runtime.stop();
  }
}

const flagOf = (key: string) => (key === "_" ? key : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);

/** Commander's option values, parsed; a problem names the flag it is about (`--batch-size: …`). */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields = Object.entries(zodFieldErrors(parsed.error)).map(([key, messages]) => [flagOf(key), messages]);
  throw new AppError("unprocessable", "Invalid options", Object.fromEntries(fields));
}

/** The team the operator names, acting as "keyward CLI" (a system actor: the CLI has no member's session). */
export async function teamScope(slug: string) {
  const scope = await operatorTeamScope(slug);
  if (!scope) throw new AppError("not_found", `No team with the slug "${slug}".`);
  return scope;
}
