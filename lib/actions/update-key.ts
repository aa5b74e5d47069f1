"use server";
// Edits a key's name and scopes (within the team policy and the holder's role).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction } from "@/lib/actions/safe-action";
import { widerThanReadOnly } from "@/lib/keys/scopes";
import { updateKey } from "@/lib/keys/store";
import { keyFormSchema } from "@/lib/validations/keys";

export const updateKeyAction = teamAction(
  { schema: keyFormSchema, permission: "api_keys.own", stepUp: (input) => widerThanReadOnly(input.scopes) },
  async (input, ctx) => {
    const id = z.uuid("Not a valid id.").parse(input.keyId);
    await updateKey(ctx, id, { name: input.name, scopes: input.scopes });
    revalidatePath(`/t/${ctx.team.slug}/keys`);
    return null;
  },
);
