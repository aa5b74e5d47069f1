// Applies the migrations from a separate OS process: `tsx lib/db/testing/migrate-process.ts <url> <startAt>`
// waits until the epoch millisecond <startAt> (so that several processes start together), then prints the
// JSON list of migrations it applied. Used by migrate.int.test.ts to prove the runner's lock.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { applyMigrations } from "../migrate";

const [url, startAt] = z.tuple([z.url(), z.coerce.number().int()]).parse(process.argv.slice(2));
await sleep(Math.max(0, startAt - Date.now()));
const { applied } = await applyMigrations(url);
// The parent test reads this line from stdout.
process.stdout.write(`${JSON.stringify(applied)}\n`);
