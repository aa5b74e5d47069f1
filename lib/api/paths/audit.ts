// OpenAPI operations of /api/teams/{slug}/audit-events…: the team's audit timeline as JSON pages and as a
// streamed CSV or JSON Lines export. The routes parse with these same schemas; the filters then go through
// lib/audit/filters.ts, the one schema the page, the API, the export and the CLI share.
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { ERRORS, teamParamsSchema } from "@/lib/api/schemas/common";
import { AppError, zodFieldErrors } from "@/lib/api/errors";
import { exportFormatSchema } from "@/lib/audit/export";
import { ACTION_GROUPS, auditFiltersSchema, type AuditFilters } from "@/lib/audit/filters";
import type { ChainVerification } from "@/lib/audit/chain";
import { decodeCursor } from "@/lib/audit/timeline";

const text = (description: string) => z.string().max(200).optional().meta({ description });

export const auditFilterQuerySchema = z.object({
  actor: text("Part of the actor's name or e-mail (case-insensitive)."),
  group: z.enum(ACTION_GROUPS).optional().meta({ description: "One group of actions." }),
  target: text("Part of a target's name or id."),
  outcome: z.enum(["success", "failure"]).optional().meta({ description: "`failure`: refused sign-ins." }),
  ip: text("An IP address, or a CIDR range such as 10.0.0.0/8."),
  from: text("Entries at or after this date or instant (ISO 8601, UTC)."),
  to: text("Entries at or before this date or instant (ISO 8601, UTC)."),
});

export const auditListQuerySchema = auditFilterQuerySchema.extend({
  cursor: z
    .string()
    .max(200)
    .refine((value) => decodeCursor(value) !== null, "Cursor is not one this API returned.")
    .optional()
    .meta({ description: "`olderCursor` or `newerCursor` of a previous page." }),
  direction: z
    .enum(["older", "newer"])
    .optional()
    .meta({ description: "Which way from the cursor: `older` (the default) or `newer`." }),
  limit: z.coerce.number().int().min(1).max(500).optional().meta({ description: "Entries per page (1–500, 50)." }),
});

export const auditExportQuerySchema = auditFilterQuerySchema.extend({ format: exportFormatSchema });

/** The filters of a query already parsed by one of the schemas above, checked by the shared filter schema. */
export function filtersOf(query: z.infer<typeof auditFilterQuerySchema>): AuditFilters {
  const { actor, group, target, outcome, ip, from, to } = query;
  const parsed = auditFiltersSchema.safeParse({ actor, group, target, outcome, ip, from, to });
  if (!parsed.success) throw new AppError("unprocessable", undefined, zodFieldErrors(parsed.error));
  return parsed.data;
}

const targetSchema = z.object({ type: z.string(), id: z.string(), label: z.string().optional() });

export const auditEntrySchema = z
  .object({
    time: z.string().meta({ description: "ISO 8601, UTC." }),
    id: z.string(),
    source: z.enum(["audit", "sign_in"]),
    action: z.string().meta({ description: "e.g. `api_key.update`, `sign_in.wrong_password`." }),
    description: z.string(),
    actor: z.string(),
    actor_id: z.string().nullable(),
    targets: targetSchema.array(),
    outcome: z.enum(["success", "failure"]),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    changes: z.object({ field: z.string(), label: z.string(), before: z.string(), after: z.string() }).array(),
    metadata: z.unknown(),
  })
  .meta({ id: "AuditEntry" });

const pageSchema = z.object({
  data: auditEntrySchema.array(),
  olderCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next older page." }),
  newerCursor: z
    .string()
    .nullable()
    .meta({ description: "Pass as `cursor` with `direction=newer` for the page before." }),
});

const headSchema = z
  .object({
    seq: z.number().int().meta({ description: "The last event's position in the team's chain (0: no event yet)." }),
    hash: z.string().nullable().meta({ description: "Its SHA-256, hex: note it elsewhere to prove history later." }),
    at: z.string().meta({ description: "When the head last moved (ISO 8601, UTC)." }),
  })
  .meta({ id: "AuditChainHead" });

export const verificationSchema = z
  .object({
    ok: z.boolean().meta({ description: "Whether every link up to the head holds." }),
    count: z.number().int().nullable().meta({ description: "Events checked (when intact)." }),
    verifiedThrough: z
      .object({ seq: z.number().int(), eventId: z.string().nullable() })
      .nullable()
      .meta({ description: "The last event checked (when intact)." }),
    brokenAt: z
      .object({ seq: z.number().int().nullable(), eventId: z.string().nullable() })
      .nullable()
      .meta({ description: "The first broken link (when not intact)." }),
    reason: z.string().nullable().meta({ description: "What is wrong with that link." }),
    head: headSchema,
  })
  .meta({ id: "AuditChainVerification" });

/** The verification as the API answers it: the same fields whatever the outcome. */
export function verificationJson(result: ChainVerification): z.infer<typeof verificationSchema> {
  const head = { seq: result.head.seq, hash: result.head.hash, at: result.head.at.toISOString() };
  return result.ok
    ? { ok: true, count: result.count, verifiedThrough: result.verifiedThrough, brokenAt: null, reason: null, head }
    : { ok: false, count: null, verifiedThrough: null, brokenAt: result.brokenAt, reason: result.reason, head };
}

export const auditPaths = {
  "/api/teams/{slug}/audit-events": {
    get: {
      summary: "List the team's audit timeline, newest first (audit.read)",
      description:
        "The team's audit events and its members' sign-ins, filtered, keyset-paginated (no offsets: a page never shifts when new events arrive).",
      requestParams: { path: teamParamsSchema, query: auditListQuerySchema },
      responses: {
        "200": { description: "One page.", content: { "application/json": { schema: pageSchema } } },
        ...ERRORS,
      },
    },
  },
  "/api/teams/{slug}/audit-events/export": {
    get: {
      summary: "Export the filtered timeline as CSV or JSON Lines (audit.read)",
      description:
        "Streamed from the database in batches, newest first, with the same fields as the list. Every export is recorded as an `audit.export` event.",
      requestParams: { path: teamParamsSchema, query: auditExportQuerySchema },
      responses: {
        "200": {
          description: "The export, as a download.",
          content: {
            "text/csv": { schema: z.string() },
            "application/x-ndjson": { schema: z.string() },
          },
        },
        ...ERRORS,
      },
    },
  },
  "/api/teams/{slug}/audit-events/verify": {
    get: {
      summary: "Verify the team's audit hash chain (audit.read)",
      description:
        "Recomputes every event's SHA-256 in order and checks each link to its predecessor and the published head: `ok` and the event it is intact up to, or the first broken link (an event changed, removed or slipped in).",
      requestParams: { path: teamParamsSchema },
      responses: {
        "200": {
          description: "The verification.",
          content: { "application/json": { schema: z.object({ data: verificationSchema }) } },
        },
        ...ERRORS,
      },
    },
  },
} satisfies ZodOpenApiPathsObject;
