// The audit timeline as CSV or JSON Lines: the filtered view exactly as the page shows it, read in keyset
// batches (constant memory however long the log) and written with a maintained CSV writer. Starting an
// export is itself an audit event, written before the first byte leaves.
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { transaction } from "@/lib/db/transaction";
import type { TeamContext, TeamScope } from "@/lib/teams/context";
import { describeAction, objectLabel, outcomeOf, targetsOf } from "./describe";
import { eventChanges } from "./diff";
import type { AuditFilters } from "./filters";
import { recordAudit } from "./record";
import { listTimeline, type TimelineItem } from "./timeline";

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export const exportFormatSchema = z.enum(EXPORT_FORMATS, { error: "Format must be csv or jsonl." });
export type ExportFormat = z.infer<typeof exportFormatSchema>;

export const CSV_COLUMNS = [
  "time",
  "id",
  "source",
  "action",
  "description",
  "actor",
  "actor_id",
  "targets",
  "outcome",
  "ip",
  "user_agent",
  "changes",
  "metadata",
] as const;

const BATCH = 200;

/** One entry as the export's record: the same fields in CSV columns and JSON Lines keys. */
export function exportRecord(item: TimelineItem) {
  const object = objectLabel(item.action, item.targets);
  return {
    time: item.createdAt.toISOString(),
    id: item.id,
    source: item.source,
    action: item.action,
    description: `${describeAction(item.action, item.metadata)}${object ? ` ${object}` : ""}`,
    actor: item.actorLabel ?? "System",
    actor_id: item.actorId,
    targets: targetsOf(item.targets),
    outcome: outcomeOf(item.action),
    ip: item.ip,
    user_agent: item.userAgent,
    changes: eventChanges(item.metadata),
    metadata: item.metadata,
  };
}

function csvLine(item: TimelineItem): string[] {
  const record = exportRecord(item);
  return [
    record.time,
    record.id,
    record.source,
    record.action,
    record.description,
    record.actor,
    record.actor_id ?? "",
    record.targets.map((target) => `${target.type}:${target.label ?? target.id}`).join("; "),
    record.outcome,
    record.ip ?? "",
    record.user_agent ?? "",
    record.changes.map((change) => `${change.label}: ${change.before} → ${change.after}`).join("; "),
    JSON.stringify(record.metadata ?? {}),
  ];
}

/** The lines of the export, batch by batch; the caller streams them (a Response, stdout). */
export async function* exportLines(
  ctx: Pick<TeamContext, "team">,
  filters: AuditFilters,
  format: ExportFormat,
): AsyncGenerator<string> {
  // escape_formulas: a cell starting with =, +, -, @ is prefixed so a spreadsheet never runs it.
  if (format === "csv") yield stringify([[...CSV_COLUMNS]]);
  let cursor: string | undefined;
  for (;;) {
    const page = await listTimeline(ctx, { filters, cursor, limit: BATCH });
    if (page.items.length > 0)
      yield format === "csv"
        ? stringify(page.items.map(csvLine), { escape_formulas: true })
        : page.items.map((item) => `${JSON.stringify(exportRecord(item))}\n`).join("");
    if (!page.olderCursor) return;
    cursor = page.olderCursor;
  }
}

/** Records that this actor exported this view (the filters and format, never the data). */
export async function recordExport(ctx: TeamScope, filters: AuditFilters, format: ExportFormat): Promise<void> {
  const shown = Object.fromEntries(
    Object.entries(filters).flatMap(([key, value]) =>
      value === undefined ? [] : [[key, value instanceof Date ? value.toISOString() : value]],
    ),
  );
  await transaction((tx) =>
    recordAudit(tx, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      action: "audit.export",
      targets: [{ type: "team", id: ctx.team.id, label: ctx.team.name }],
      metadata: { format, filters: shown },
      context: ctx.request,
    }),
  );
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/x-ndjson; charset=utf-8",
};

/** A streamed download of the export (pull-based: the next batch is read when the client takes the last). */
export async function exportResponse(ctx: TeamContext, filters: AuditFilters, format: ExportFormat) {
  await recordExport(ctx, filters, format);
  const lines = exportLines(ctx, filters, format);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": EXPORT_CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="${ctx.team.slug}-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
