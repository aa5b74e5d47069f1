// The management API's members and invitations: request bodies the routes parse, responses they return.
import { z } from "zod";
import { emailSchema } from "@/lib/validations/auth";
import { roleSchema } from "@/lib/validations/team";

export const memberSchema = z.object({
  id: z.uuid().meta({ description: "The membership's id (what PATCH and DELETE …/members/{id} take)." }),
  role: roleSchema,
  joinedAt: z.iso.datetime(),
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
});
export type PublicMember = z.infer<typeof memberSchema>;

export function toPublicMember(row: {
  id: string;
  role: string;
  createdAt: Date;
  user: { id: string; email: string; name: string };
}): PublicMember {
  return memberSchema.parse({ id: row.id, role: row.role, joinedAt: row.createdAt.toISOString(), user: row.user });
}

export const changeRoleBodySchema = z.object({ role: roleSchema }).strict();

export const createInviteBodySchema = z.object({ email: emailSchema, role: roleSchema }).strict();

export const inviteCreatedSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: roleSchema,
  expiresAt: z.iso.datetime(),
  mailed: z.boolean().meta({ description: "Whether the invitation e-mail went out over SMTP." }),
  link: z
    .string()
    .nullable()
    .meta({ description: "The invitation link, only when no e-mail could be sent: pass it on yourself." }),
});
