"use server";
// Issues a member key (the actor's own, or — for admins — another member's). The full key is returned once.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { widerThanReadOnly } from "@/lib/keys/scopes";
import { createKey } from "@/lib/keys/store";
import { keyFormSchema } from "@/lib/validations/keys";

export const createKeyAction = teamAction(
  { schema: keyFormSchema, permission: "api_keys.own", stepUp: (input) => widerThanReadOnly(input.scopes) },
  async (input, ctx) => {
    const created = await createKey(ctx, { name: input.name, scopes: input.scopes, holderUserId: input.holderUserId });
    revalidatePath(`/t/${ctx.team.slug}/keys`);
    return { id: created.id, name: created.name, prefix: created.prefix, key: created.key };
  },
);
