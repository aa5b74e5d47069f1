// The heading of every dashboard page: title (with an optional badge), a description, and actions.
// Titles are often user-given (a team's or a key's name): min-w-0 and overflow-wrap:anywhere let a long
// unbroken name wrap inside the page instead of widening it.
import type { ReactNode } from "react";

export function PageHeader({
  title,
  badge,
  description,
  actions,
}: {
  title: ReactNode;
  badge?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div className="max-w-full min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight [overflow-wrap:anywhere]">
          {title}
          {badge ? <> {badge}</> : null}
        </h1>
        {description ? (
          <p className="mt-1 max-w-2xl text-sm [overflow-wrap:anywhere] text-slate-500">{description}</p>
        ) : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}
