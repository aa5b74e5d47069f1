// The public (REST) shape of a member key. Parsed on the way out, so a field added to the store never
// reaches the API by accident — and a key's hash never does.
import { z } from "zod";
import { keyScopesSchema } from "@/lib/keys/scopes";
import type { KeyView } from "@/lib/keys/store";

export const publicKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    status: z.enum(["active", "expired", "revoked"]),
    holder: z.object({ name: z.string(), email: z.string() }).nullable(),
    scopes: keyScopesSchema,
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .strict();
export type PublicKey = z.infer<typeof publicKeySchema>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toPublicKey(key: KeyView): PublicKey {
  return publicKeySchema.parse({
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    status: key.status,
    holder: key.user,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: iso(key.lastUsedAt),
    expiresAt: iso(key.expiresAt),
    revokedAt: iso(key.revokedAt),
  });
}
