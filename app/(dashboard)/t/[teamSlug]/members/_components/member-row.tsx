import { ActionForm } from "@/components/action-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";
import { changeMemberRoleAction } from "@/lib/actions/change-member-role";
import { removeMemberAction } from "@/lib/actions/remove-member";
import { transferOwnershipAction } from "@/lib/actions/transfer-ownership";
import { can, canManage, ROLE_LABELS, ROLES, type Role } from "@/lib/auth/permissions";

type Member = { id: string; role: Role; name: string; email: string; joined: string };

/** One member. Controls appear only where the server would allow the change; the server checks again. */
export function MemberRow({
  teamSlug,
  actorRole,
  isSelf,
  member,
}: {
  teamSlug: string;
  actorRole: Role;
  isSelf: boolean;
  member: Member;
}) {
  const manageable = !isSelf && canManage(actorRole, member.role);
  const canChangeRole = manageable && can(actorRole, "members.update_role");
  const canRemove = manageable && can(actorRole, "members.remove");
  const canTransfer = !isSelf && member.role !== "owner" && can(actorRole, "ownership.transfer");
  const hidden = { teamSlug, membershipId: member.id };
  return (
    <tr>
      <td className="py-3 pr-3">
        <p className="font-medium">
          {member.name} {isSelf ? <Badge tone="brand">You</Badge> : null}
        </p>
        <p className="text-xs text-slate-500">{member.email}</p>
      </td>
      <td className="py-3 pr-3">
        {canChangeRole ? (
          <ActionForm action={changeMemberRoleAction} hidden={hidden} className="flex items-end gap-2" success="Saved.">
            <Select
              id={`select-role-${member.id}`}
              label={`Role of ${member.name}`}
              srOnlyLabel
              name="role"
              defaultValue={member.role}
            >
              {ROLES.filter((r) => canManage(actorRole, member.role, r)).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </Select>
            <Button type="submit" variant="secondary" size="sm">
              Save
            </Button>
          </ActionForm>
        ) : (
          <Badge tone={member.role === "owner" ? "amber" : "slate"}>{ROLE_LABELS[member.role]}</Badge>
        )}
      </td>
      <td className="hidden py-3 pr-3 text-slate-500 sm:table-cell">{member.joined}</td>
      <td className="py-3 text-right">
        <div className="flex justify-end gap-2">
          {canTransfer ? (
            <ActionForm
              action={transferOwnershipAction}
              hidden={hidden}
              confirm={`Make ${member.name} the owner? You will become an admin.`}
            >
              <Button type="submit" variant="secondary" size="sm">
                Make owner
              </Button>
            </ActionForm>
          ) : null}
          {canRemove ? (
            <ActionForm action={removeMemberAction} hidden={hidden} confirm={`Remove ${member.name} from the team?`}>
              <Button type="submit" variant="danger" size="sm" aria-label={`Remove ${member.name}`}>
                Remove
              </Button>
            </ActionForm>
          ) : null}
        </div>
      </td>
    </tr>
  );
}
