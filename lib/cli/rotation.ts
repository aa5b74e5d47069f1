// keyward keys roll|due — key rotation from the shell: roll a member key (the successor printed once, the old
// key kept for the overlap) and list what is due, through the same domain functions as the dashboard.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { rolledKeySchema } from "@/lib/api/paths/keys";
import { parseOptions, say, teamScope, withRuntime } from "@/lib/cli/runtime";
import { formatTable } from "@/lib/cli/table";
import { db } from "@/lib/db/client";
import { formatDate, formatDateTime } from "@/lib/format/date";
import { toPublicKey } from "@/lib/keys/public";
import { listTeamKeys } from "@/lib/keys/store";
import { dueItems, rotationItems, type RotationItem } from "@/lib/rotation/due";
import { overlapHoursSchema, rollApiKey } from "@/lib/rotation/roll";

const DAY_MS = 86_400_000;
const teamSlug = z.string().min(1).max(64);

const rollSchema = z.object({
  team: teamSlug,
  key: z.uuid("Not a valid key id."),
  overlapHours: z.coerce.number().pipe(overlapHoursSchema).optional(),
  json: z.boolean().default(false),
});

/**
 * Rolls a member key as the dashboard does (audited, the old key's new end published to every proxy). The
 * successor's key goes to stdout alone, so `$(keyward keys roll …)` is the key; --json prints the REST API's
 * answer instead. Another team's key, like an unknown one, is "not found".
 */
export async function roll(raw: unknown): Promise<void> {
  const options = parseOptions(rollSchema, raw);
  const { rolled, view } = await withRuntime(async () => {
    const scope = await teamScope(options.team);
    try {
      const rolled = await rollApiKey(scope, { id: options.key }, { overlapHours: options.overlapHours });
      const view = (await listTeamKeys(scope)).find((key) => key.id === rolled.id);
      return { rolled, view };
    } catch (error) {
      if (!(error instanceof AppError && error.code === "not_found")) throw error;
      throw new AppError("not_found", `No member key with the id ${options.key} in ${options.team}.`);
    }
  });
  if (!view) throw new AppError("not_found");
  if (options.json) {
    const body = rolledKeySchema.parse({
      ...toPublicKey(view),
      key: rolled.key,
      previous: { id: rolled.previous.id, overlapEndsAt: rolled.previous.overlapEndsAt.toISOString() },
    });
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  say(
    `Rolled ${rolled.name}: ${rolled.prefix}… replaces ${rolled.previous.prefix}…, which keeps working until ` +
      `${formatDateTime(rolled.previous.overlapEndsAt)}. This is the only time the new key is shown:`,
  );
  process.stdout.write(`${rolled.key}\n`);
}

const dueSchema = z.object({ team: teamSlug.optional(), json: z.boolean().default(false) });

type Due = { team: string; item: RotationItem };

const ageDays = (item: RotationItem, now: Date) => Math.floor((now.getTime() - item.createdAt.getTime()) / DAY_MS);

function statusOf(item: RotationItem): string {
  if (item.status === "overdue") return `overdue by ${-item.daysLeft} day${item.daysLeft === -1 ? "" : "s"}`;
  return `due soon (${item.daysLeft} day${item.daysLeft === 1 ? "" : "s"} left)`;
}

function table(due: readonly Due[], now: Date): string {
  const header = ["TEAM", "KIND", "NAME", "HOLDER", "AGE (DAYS)", "LAST USED", "DUE", "STATUS"];
  const rows = due.map(({ team, item }) => [
    team,
    item.kind,
    item.label,
    item.holderEmail ?? "—",
    String(ageDays(item, now)),
    formatDate(item.lastUsedAt),
    formatDate(item.dueAt),
    statusOf(item),
  ]);
  return formatTable([header, ...rows]);
}

/** The JSON a script reads: parsed on the way out, like the REST API's answers. */
const dueJsonSchema = z
  .object({
    team: z.string(),
    id: z.uuid(),
    kind: z.enum(["member", "management", "upstream"]),
    name: z.string(),
    label: z.string(),
    holder: z.string().nullable(),
    ageDays: z.number().int(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    dueAt: z.iso.datetime(),
    daysLeft: z.number().int(),
    status: z.enum(["due_soon", "overdue"]),
  })
  .array();

/**
 * What is due for rotation (due soon or overdue, and not already being rolled): member keys, management
 * keys and OpenAI keys, of one team or of every team, soonest due first within each team.
 */
export async function due(raw: unknown): Promise<void> {
  const options = parseOptions(dueSchema, raw);
  const now = new Date();
  const found = await withRuntime(async () => {
    const teams = options.team
      ? [(await teamScope(options.team)).team]
      : await db().team.findMany({ select: { id: true, slug: true }, orderBy: { slug: "asc" } });
    const out: Due[] = [];
    for (const team of teams) {
      const { items } = await rotationItems(team.id, now);
      out.push(...dueItems(items).map((item) => ({ team: team.slug, item })));
    }
    return out;
  });
  if (options.json) {
    const json = dueJsonSchema.parse(
      found.map(({ team, item }) => ({
        team,
        id: item.id,
        kind: item.kind,
        name: item.name,
        label: item.label,
        holder: item.holderEmail,
        ageDays: ageDays(item, now),
        createdAt: item.createdAt.toISOString(),
        lastUsedAt: item.lastUsedAt?.toISOString() ?? null,
        dueAt: item.dueAt.toISOString(),
        daysLeft: item.daysLeft,
        status: item.status,
      })),
    );
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else if (found.length === 0) {
    process.stdout.write(`Nothing is due for rotation${options.team ? ` in ${options.team}` : ""}.\n`);
  } else {
    process.stdout.write(`${table(found, now)}\n`);
  }
}
