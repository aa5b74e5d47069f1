// Applies the migrations from a separate OS process: `tsx lib/db/testing/migrate-process.ts <url>` prints
// "ready" once loaded, waits for a line on stdin, then prints the JSON list of migrations it applied. The
// parent sends that line to several such processes at once, once all are ready: they start together however
// long each took to load (no agreed-on instant, which a busy machine can miss). Used by migrate.int.test.ts to
// prove the runner's lock.
import { z } from "zod";
import { applyMigrations } from "../migrate";

const [url] = z.tuple([z.url()]).parse(process.argv.slice(2));
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
process.stdin.pause();
const { applied } = await applyMigrations(url);
// The parent test reads this line from stdout.
process.stdout.write(`${JSON.stringify(applied)}\n`);
