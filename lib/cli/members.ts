// keyward members list|role — a team's members from the shell. A role change goes the dashboard's way
// (audited, the new role a ceiling on the member's keys at once); the operator is not ranked in the team,
// but the team keeps at least one owner.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { toPublicMember } from "@/lib/api/schemas/members";
import { parseOptions, teamScope, withRuntime } from "@/lib/cli/runtime";
import { formatTable } from "@/lib/cli/table";
import { formatDate } from "@/lib/format/date";
import { changeMemberRoleAsOperator, listMembers } from "@/lib/teams/members";
import { roleSchema } from "@/lib/validations/team";

const teamSlug = z.string().min(1).max(64);

type Member = Awaited<ReturnType<typeof listMembers>>[number];

function table(members: readonly Member[]): string {
  const rows = [
    ["ID", "EMAIL", "NAME", "ROLE", "JOINED"],
    ...members.map((m) => [m.id, m.user.email, m.user.name, m.role, formatDate(m.createdAt)]),
  ];
  return formatTable(rows);
}

const listSchema = z.object({ team: teamSlug, json: z.boolean().default(false) });

/** --json prints the REST API's member objects (GET /api/teams/{slug}/members). */
export async function list(raw: unknown): Promise<void> {
  const options = parseOptions(listSchema, raw);
  const members = await withRuntime(async () => listMembers(await teamScope(options.team)));
  process.stdout.write(
    options.json ? `${JSON.stringify(members.map(toPublicMember), null, 2)}\n` : `${table(members)}\n`,
  );
}

const roleOptionsSchema = z.object({ team: teamSlug, member: z.email().toLowerCase(), role: roleSchema });

export async function role(raw: unknown): Promise<void> {
  const options = parseOptions(roleOptionsSchema, raw);
  const changed = await withRuntime(async () => {
    const scope = await teamScope(options.team);
    const target = (await listMembers(scope)).find((m) => m.user.email.toLowerCase() === options.member);
    if (!target) throw new AppError("not_found", `${options.member} is not a member of ${options.team}.`);
    return { from: target.role, ...(await changeMemberRoleAsOperator(scope, target.id, options.role)) };
  });
  process.stdout.write(
    changed.from === changed.role
      ? `${options.member} is already ${changed.role} in ${options.team}.\n`
      : `${options.member} is now ${changed.role} in ${options.team} (was ${changed.from}).\n`,
  );
}
