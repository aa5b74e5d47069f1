// Seeding helpers for the integration tests: unique users, teams and memberships built through the real code
// (signUp, createSession, resolveTeamContext), so each test owns its data and never depends on another's.
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/api/errors";
import type { RequestContext } from "@/lib/audit/record";
import { signUp } from "@/lib/auth/accounts";
import type { Permission } from "@/lib/auth/permissions";
import { createSession, type ActiveSession, type SessionUser } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { resolveTeamContext, type TeamContext, type TeamRef } from "@/lib/teams/context";

export const TEST_REQUEST: RequestContext = { ip: "203.0.113.7", userAgent: "keyward-integration-test" };
/** Passes passwordProblems(): long, not common, not built from the e-mail or name. */
export const TEST_PASSWORD = "violet-harbour-lantern-93";

/** A lower-case address no other test (or test file) uses. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${randomUUID()}@example.test`;
}

export type SeededUser = { user: SessionUser; team: TeamRef; session: ActiveSession };

/** A user through the real sign-up (argon2id hash, a team of their own as owner), with a live session. */
export async function seedUser(label = "user", password = TEST_PASSWORD): Promise<SeededUser> {
  const { user, team } = await signUp(
    { name: label, email: uniqueEmail(label), password, teamName: `${label} team` },
    TEST_REQUEST,
  );
  const row = await createSession(user.id, TEST_REQUEST);
  return { user, team, session: { sessionId: row.id, user, reauthenticatedAt: row.reauthenticatedAt } };
}

/** Puts a user in a team with a role, as an accepted invite would. Returns the membership id. */
export async function addMember(team: Pick<TeamRef, "id">, user: Pick<SessionUser, "id">, role: Role): Promise<string> {
  const membership = await db().membership.create({
    data: { teamId: team.id, userId: user.id, role },
    select: { id: true },
  });
  return membership.id;
}

/** A seeded user who is also a member of `team` with `role`, plus that membership's id. */
export async function seedMember(team: Pick<TeamRef, "id">, role: Role, label: string = role) {
  const seeded = await seedUser(label);
  return { ...seeded, membershipId: await addMember(team, seeded.user, role) };
}

/** The user's context in a team through the real door (resolveTeamContext). */
export function contextIn(
  seeded: Pick<SeededUser, "session">,
  team: Pick<TeamRef, "slug">,
  permission: Permission = "team.read",
): Promise<TeamContext> {
  return resolveTeamContext(seeded.session, team.slug, permission, TEST_REQUEST);
}

/** The AppError a promise rejects with; fails when it resolves or rejects with anything else. */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("Expected an AppError, but the promise resolved.");
}

/** The team's audit events for one action, oldest first. */
export function auditEvents(teamId: string | null, action: string) {
  return db().auditEvent.findMany({ where: { teamId, action }, orderBy: { createdAt: "asc" } });
}
