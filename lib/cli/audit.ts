// keyward audit export|verify|head|prune — a team's audit log from the shell. The export is the page's
// (lib/audit/export.ts) and is itself audited as "keyward CLI"; verify walks the hash chain
// (lib/audit/chain.ts) and exits 1 on the first broken link; head prints what to note down elsewhere.
import { z } from "zod";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { chainHead, verifyChain, type ChainVerification } from "@/lib/audit/chain";
import { exportFormatSchema, exportLines, recordExport } from "@/lib/audit/export";
import { auditFiltersSchema } from "@/lib/audit/filters";
import { pruneAllTeams, pruneAuditEvents } from "@/lib/audit/retention";
import { parseOptions, say, teamScope, withRuntime } from "@/lib/cli/runtime";
import { db } from "@/lib/db/client";

const teamSlug = z.string().min(1).max(64);

const exportSchema = z.object({ team: teamSlug, format: exportFormatSchema, since: z.string().optional() });

/** Writes the export to stdout, waiting for the pipe to drain between batches (constant memory). */
export async function exportLog(raw: unknown): Promise<void> {
  const options = parseOptions(exportSchema, raw);
  const filters = auditFiltersSchema.safeParse({ from: options.since });
  if (!filters.success)
    throw new AppError("unprocessable", "Invalid options", { "--since": zodFieldErrors(filters.error).from ?? [] });
  await withRuntime(async () => {
    const scope = await teamScope(options.team);
    await recordExport(scope, filters.data, options.format);
    for await (const chunk of exportLines(scope, filters.data, options.format)) {
      if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once("drain", resolve));
    }
  });
}

function describe(slug: string, result: ChainVerification): string {
  if (result.ok)
    return result.count === 0
      ? `${slug}: no events yet`
      : `${slug}: intact up to event ${result.verifiedThrough.seq} (${result.verifiedThrough.eventId}), ${result.count} events checked`;
  const { seq, eventId } = result.brokenAt;
  return `${slug}: BROKEN at event ${seq ?? "?"}${eventId ? ` (${eventId})` : ""}: ${result.reason}`;
}

/** Every team with a chain, by slug (a deleted team's chain is verified too, under its id). */
async function chainedTeams(): Promise<{ id: string; slug: string }[]> {
  const heads = await db().auditChainHead.findMany({ select: { teamId: true }, orderBy: { teamId: "asc" } });
  const teams = await db().team.findMany({
    where: { id: { in: heads.map((head) => head.teamId) } },
    select: { id: true, slug: true },
  });
  const slugs = new Map(teams.map((team) => [team.id, team.slug]));
  return heads.map((head) => ({ id: head.teamId, slug: slugs.get(head.teamId) ?? `(deleted team ${head.teamId})` }));
}

export async function verify(raw: unknown): Promise<void> {
  const options = parseOptions(z.object({ team: teamSlug.optional() }), raw);
  const broken = await withRuntime(async () => {
    const teams = options.team ? [{ ...(await teamScope(options.team)).team }] : await chainedTeams();
    let failures = 0;
    for (const team of teams) {
      const result = await verifyChain(team.id);
      if (!result.ok) failures += 1;
      process.stdout.write(`${describe(team.slug, result)}\n`);
    }
    return failures;
  });
  if (broken > 0) {
    say(`${broken} broken chain${broken === 1 ? "" : "s"}.`);
    process.exitCode = 1;
  }
}

export async function head(raw: unknown): Promise<void> {
  const options = parseOptions(z.object({ team: teamSlug }), raw);
  const current = await withRuntime(async () => chainHead((await teamScope(options.team)).team.id));
  process.stdout.write(
    `team ${options.team}\nseq  ${current.seq}\nhash ${current.hash ?? "(no events yet)"}\ntime ${current.at.toISOString()}\n`,
  );
}

export async function prune(raw: unknown): Promise<void> {
  const options = parseOptions(z.object({ team: teamSlug.optional() }), raw);
  const now = new Date();
  const pruned = await withRuntime(async () => {
    if (!options.team) return (await pruneAllTeams(now)).reduce((sum, team) => sum + team.deleted, 0);
    const scope = await teamScope(options.team);
    return pruneAuditEvents(scope.team.id, now, scope.actor);
  });
  process.stdout.write(`Pruned ${pruned} audit event${pruned === 1 ? "" : "s"} older than the retention period.\n`);
}
