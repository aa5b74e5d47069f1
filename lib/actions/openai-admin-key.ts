"use server";
// Automatic rotation of the team's OpenAI keys: store or remove the OpenAI Admin key (never sent back to a
// browser, only its masked form), and "Rotate now" for one key. Owners and admins, with step-up.
import { revalidatePath } from "next/cache";
import { AppError } from "@/lib/api/errors";
import { teamAction } from "@/lib/actions/safe-action";
import { removeOpenAIAdminKey, rotateUpstreamKey, setOpenAIAdminKey } from "@/lib/rotation/upstream";
import { openAIAdminKeyFormSchema, teamSlugOnlySchema, upstreamKeyIdSchema } from "@/lib/validations/upstream";

const STEP_LABEL = {
  create: "creating the service account",
  verify: "checking the new key",
  swap: "moving traffic to the new key",
  delete: "deleting the old service account",
} as const;

export const setOpenAIAdminKeyAction = teamAction(
  { schema: openAIAdminKeyFormSchema, permission: "upstream_keys.write", stepUp: true },
  async (input, ctx) => {
    const saved = await setOpenAIAdminKey(ctx, input);
    revalidatePath(`/t/${ctx.team.slug}/upstream-keys`);
    return saved;
  },
);

export const removeOpenAIAdminKeyAction = teamAction(
  { schema: teamSlugOnlySchema, permission: "upstream_keys.write", stepUp: true },
  async (_input, ctx) => {
    await removeOpenAIAdminKey(ctx);
    revalidatePath(`/t/${ctx.team.slug}/upstream-keys`);
    return null;
  },
);

export const rotateUpstreamKeyNowAction = teamAction(
  { schema: upstreamKeyIdSchema, permission: "upstream_keys.write", stepUp: true },
  async (input, ctx) => {
    const result = await rotateUpstreamKey(ctx, input.keyId);
    revalidatePath(`/t/${ctx.team.slug}/upstream-keys`);
    if (!result.ok)
      throw new AppError(
        "conflict",
        `Rotation failed while ${STEP_LABEL[result.step]}: ${result.message} The old key keeps serving.`,
      );
    return { retiresAt: result.retiresAt.toISOString() };
  },
);
