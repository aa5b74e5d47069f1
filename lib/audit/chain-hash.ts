// The audit hash chain's encoding: how one event row becomes the SHA-256 that the next row links to. Kept
// apart from the writer and the verifier (lib/audit/chain.ts) so both are certain to hash the same way.
import { createHash } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";

/** The columns recordAudit writes; appendToChain adds the chain's. */
export type AuditEventData = {
  teamId: string | null;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targets: Prisma.InputJsonValue;
  metadata: Prisma.InputJsonValue;
  ip: string | null;
  userAgent: string | null;
};

export type ChainedRow = AuditEventData & { id: string; createdAt: Date; seq: number; prevHash: string | null };

/** JSON with object keys sorted at every level: the same value always encodes to the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * SHA-256 hex of the row's canonical encoding (version 1): a JSON array in this fixed order. createdAt with
 * millisecond precision, as timestamp(3) stores it; seq as a decimal string; targets and metadata as
 * canonical JSON of the value read back from jsonb.
 */
export function eventHash(row: ChainedRow): string {
  const encoding = canonicalJson([
    "keyward-audit-v1",
    row.id,
    row.teamId,
    row.seq.toString(),
    row.prevHash,
    row.createdAt.toISOString(),
    row.actorType,
    row.actorId,
    row.actorLabel,
    row.action,
    row.targets,
    row.metadata,
    row.ip,
    row.userAgent,
  ]);
  return createHash("sha256").update(encoding, "utf8").digest("hex");
}
