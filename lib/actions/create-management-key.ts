"use server";
// Issues a team management key for the REST API. The full key is returned once.
import { revalidatePath } from "next/cache";
import { teamAction } from "@/lib/actions/safe-action";
import { createManagementKey } from "@/lib/keys/management";
import { managementKeyFormSchema } from "@/lib/validations/keys";

export const createManagementKeyAction = teamAction(
  { schema: managementKeyFormSchema, permission: "management_keys.write", stepUp: true },
  async (input, ctx) => {
    const created = await createManagementKey(ctx, { name: input.name, scopes: input.scopes });
    revalidatePath(`/t/${ctx.team.slug}/keys/settings`);
    return { name: created.name, prefix: created.prefix, key: created.key };
  },
);
