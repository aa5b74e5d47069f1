"use server";
// Adds or removes one of the team's audit webhooks. Adding returns the signing secret, shown this once.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction } from "@/lib/actions/safe-action";
import { createAuditWebhook, deleteAuditWebhook, webhookUrlSchema } from "@/lib/audit/webhooks";

const teamSlug = z.string().min(1).max(64);

export const addAuditWebhookAction = teamAction(
  { schema: z.object({ teamSlug, url: webhookUrlSchema }), permission: "audit.webhooks", stepUp: true },
  async (input, ctx) => {
    const { webhook, secret } = await createAuditWebhook(ctx, { url: input.url });
    revalidatePath(`/t/${ctx.team.slug}/audit`);
    return { id: webhook.id, url: webhook.url, secret };
  },
);

export const deleteAuditWebhookAction = teamAction(
  { schema: z.object({ teamSlug, webhookId: z.uuid("Not a valid id.") }), permission: "audit.webhooks", stepUp: true },
  async (input, ctx) => {
    await deleteAuditWebhook(ctx, input.webhookId);
    revalidatePath(`/t/${ctx.team.slug}/audit`);
    return null;
  },
);
