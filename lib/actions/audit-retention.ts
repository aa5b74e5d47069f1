"use server";
// Sets how long the team keeps its audit events (at least 90 days); the change is itself audited.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction } from "@/lib/actions/safe-action";
import { AUDIT_RETENTION_PERMISSION, auditRetentionSchema, updateAuditRetention } from "@/lib/audit/retention";

export const updateAuditRetentionAction = teamAction(
  {
    schema: z.object({
      teamSlug: z.string().min(1).max(64),
      days: z.preprocess((value) => (value === "" ? undefined : Number(value)), auditRetentionSchema),
    }),
    permission: AUDIT_RETENTION_PERMISSION,
  },
  async (input, ctx) => {
    await updateAuditRetention(ctx, input.days);
    revalidatePath(`/t/${ctx.team.slug}/audit`);
    return { days: input.days };
  },
);
