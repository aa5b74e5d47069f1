"use server";
// Adds one of the team's OpenAI keys (checked against the upstream unless told not to). Returns only the
// masked form: the key never travels back to a browser.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { addUpstreamKey } from "@/lib/upstream/keys";
import { addUpstreamKeySchema } from "@/lib/validations/upstream";

export const addUpstreamKeyAction = teamAction(
  { schema: addUpstreamKeySchema, permission: "upstream_keys.write", stepUp: true },
  async (input, ctx) => {
    const created = await addUpstreamKey(ctx, input);
    revalidatePath(`/t/${ctx.team.slug}/upstream-keys`);
    return created;
  },
);
