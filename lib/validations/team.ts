// Input schemas for team management.
import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { emailSchema } from "@/lib/validations/auth";

const teamSlug = z.string().min(1).max(64);
const id = z.uuid("Not a valid id.");
export const roleSchema = z.enum(ROLES, "Choose a role.");

export const teamNameSchema = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(60, "Use at most 60 characters.");

export const createTeamSchema = z.object({ name: teamNameSchema });
export const inviteMemberSchema = z.object({ teamSlug, email: emailSchema, role: roleSchema });
export const revokeInviteSchema = z.object({ teamSlug, inviteId: id });
export const changeMemberRoleSchema = z.object({ teamSlug, membershipId: id, role: roleSchema });
export const removeMemberSchema = z.object({ teamSlug, membershipId: id });
export const leaveTeamSchema = z.object({ teamSlug });
export const transferOwnershipSchema = z.object({ teamSlug, membershipId: id });
// Invite tokens are 32 random bytes in base64url.
export const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This invitation link is not valid.");
export const acceptInviteSchema = z.object({ token: inviteTokenSchema });
