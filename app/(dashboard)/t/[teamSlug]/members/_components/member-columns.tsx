// The columns of the members table. Controls appear only where the server would allow the change; the
// server checks again.
import { ActionForm } from "@/components/action-form";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import type { Column } from "@/components/ui/data-table";
import { Select } from "@/components/ui/field";
import { changeMemberRoleAction } from "@/lib/actions/change-member-role";
import { removeMemberAction } from "@/lib/actions/remove-member";
import { transferOwnershipAction } from "@/lib/actions/transfer-ownership";
import { can, canManage, ROLE_LABELS, ROLES, type Role } from "@/lib/auth/permissions";
import { formatDate } from "@/lib/format/date";

export type MemberItem = {
  id: string;
  userId: string;
  role: Role;
  name: string;
  email: string;
  joinedAt: Date;
  twoFactor: boolean;
};

type Viewer = { teamSlug: string; actorRole: Role; actorId: string };

// Who has 2FA and each member's sign-ins are for those who review the team's security (audit.read: owners,
// admins, auditors). Other members need not learn which accounts are the easier ones to take over.
const reviewsSecurity = (viewer: Viewer) => can(viewer.actorRole, "audit.read");

function RoleCell({ viewer, member }: { viewer: Viewer; member: MemberItem }) {
  const { actorRole } = viewer;
  const manageable = member.userId !== viewer.actorId && canManage(actorRole, member.role);
  if (!manageable || !can(actorRole, "members.update_role")) {
    return <Badge tone={member.role === "owner" ? "amber" : "slate"}>{ROLE_LABELS[member.role]}</Badge>;
  }
  return (
    <ActionForm
      action={changeMemberRoleAction}
      hidden={{ teamSlug: viewer.teamSlug, membershipId: member.id }}
      className="flex items-end gap-2"
      success="Saved."
    >
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
  );
}

function ActionsCell({ viewer, member }: { viewer: Viewer; member: MemberItem }) {
  const { actorRole } = viewer;
  const isSelf = member.userId === viewer.actorId;
  const canRemove = !isSelf && canManage(actorRole, member.role) && can(actorRole, "members.remove");
  const canTransfer = !isSelf && member.role !== "owner" && can(actorRole, "ownership.transfer");
  const hidden = { teamSlug: viewer.teamSlug, membershipId: member.id };
  return (
    <div className="flex flex-wrap gap-2 sm:justify-end">
      {reviewsSecurity(viewer) ? (
        <ButtonLink
          href={`/t/${viewer.teamSlug}/members/${member.id}/sign-ins`}
          variant="secondary"
          size="sm"
          prefetch={false}
        >
          Sign-ins<span className="sr-only"> of {member.name}</span>
        </ButtonLink>
      ) : null}
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
  );
}

// The state in words; the colour only repeats it.
const twoFactorColumn: Column<MemberItem> = {
  header: "2FA",
  cell: (member) => (member.twoFactor ? <Badge tone="green">On</Badge> : <Badge tone="amber">Off</Badge>),
};

export function memberColumns(viewer: Viewer): Column<MemberItem>[] {
  return [
    {
      header: "Name",
      wrap: true,
      cell: (member) => (
        <>
          <p className="font-medium">
            {member.name} {member.userId === viewer.actorId ? <Badge tone="brand">You</Badge> : null}
          </p>
          <p className="text-xs text-slate-500">{member.email}</p>
        </>
      ),
    },
    { header: "Role", cell: (member) => <RoleCell viewer={viewer} member={member} /> },
    ...(reviewsSecurity(viewer) ? [twoFactorColumn] : []),
    { header: "Joined", className: "whitespace-nowrap text-slate-500", cell: (member) => formatDate(member.joinedAt) },
    {
      header: "Actions",
      srOnlyHeader: true,
      align: "right",
      cell: (member) => <ActionsCell viewer={viewer} member={member} />,
    },
  ];
}
