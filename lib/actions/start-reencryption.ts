"use server";
// Starts re-encrypting the team's secrets to the current master key, in the background.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction } from "@/lib/actions/safe-action";
import { startReencryptionJob } from "@/lib/vault/reencryption-job";

export const startReencryptionAction = teamAction(
  { schema: z.object({ teamSlug: z.string() }), permission: "upstream_keys.write", stepUp: true },
  async (_input, ctx) => {
    const job = await startReencryptionJob(ctx);
    revalidatePath(`/t/${ctx.team.slug}/upstream-keys`);
    return { id: job.id };
  },
);
