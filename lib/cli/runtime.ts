// What every CLI command shares: messages on stderr, and the runtime (configuration, database, migrations)
// for the duration of one command.
import { disconnectDb } from "@/lib/db/client";
import { prepareRuntime } from "@/lib/server/runtime";

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
