// Input schemas for team management.
import { z } from "zod";
import { safeText } from "@/lib/validations/text";
import { ROLES } from "@/lib/auth/permissions";
import { emailSchema, inviteTokenSchema } from "@/lib/validations/auth";

const teamSlug = z.string().min(1).max(64);
const id = z.uuid("Not a valid id.");
export const roleSchema = z.enum(ROLES, "Choose a role.");

export const teamNameSchema = safeText()
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(60, "Use at most 60 characters.");

export const createTeamSchema = z.object({ name: teamNameSchema });

/** A team's address, /t/<slug>: what slugify() makes of a name, or what an owner types. */
export const teamSlugValueSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "Use at least 2 characters.")
  .max(40, "Use at most 40 characters.")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens, not at either end.");
export const renameTeamSchema = z.object({ teamSlug, name: teamNameSchema, slug: teamSlugValueSchema });
export const inviteMemberSchema = z.object({ teamSlug, email: emailSchema, role: roleSchema });
export const revokeInviteSchema = z.object({ teamSlug, inviteId: id });
export const changeMemberRoleSchema = z.object({ teamSlug, membershipId: id, role: roleSchema });
export const removeMemberSchema = z.object({ teamSlug, membershipId: id });
export const leaveTeamSchema = z.object({ teamSlug });
export const transferOwnershipSchema = z.object({ teamSlug, membershipId: id });
export { inviteTokenSchema };
export const acceptInviteSchema = z.object({ token: inviteTokenSchema });
