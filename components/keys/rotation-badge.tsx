// "Due soon" (amber) or "Overdue" (red) for a key under the team's rotation policy; nothing while it is fine.
import { Badge } from "@/components/ui/badge";
import type { RotationStatus } from "@/lib/rotation/policy";

export function RotationBadge({ status }: { status: RotationStatus }) {
  if (status === "due_soon") return <Badge tone="amber">Due soon</Badge>;
  if (status === "overdue") return <Badge tone="red">Overdue</Badge>;
  return null;
}
