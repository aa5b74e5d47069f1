import Link from "next/link";
import { ROLE_LABELS, type Role } from "@/lib/auth/permissions";

type TeamItem = { slug: string; name: string; role: Role };

/** A disclosure listing the user's teams; works without JavaScript. */
export function TeamSwitcher({ current, teams }: { current: TeamItem; teams: TeamItem[] }) {
  return (
    <details className="relative">
      <summary className="flex w-full cursor-pointer list-none items-center justify-between gap-2 rounded-lg bg-white px-3 py-2 text-left ring-1 ring-slate-200 hover:bg-slate-50">
        {/* Named by what it shows (axe: label-content-name-mismatch), announced as the team switcher. */}
        <span className="sr-only">Switch team: </span>
        <span className="min-w-0">
          <span className="block truncate text-sm font-semibold" title={current.name}>
            {current.name}
          </span>
          <span className="block text-xs text-slate-500">{ROLE_LABELS[current.role]}</span>
        </span>
        <span aria-hidden="true" className="text-slate-400">
          ⇅
        </span>
      </summary>
      <ul className="absolute z-10 mt-2 w-full rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200">
        {teams.map((team) => (
          <li key={team.slug}>
            <Link
              href={`/t/${team.slug}`}
              aria-current={team.slug === current.slug ? "page" : undefined}
              title={team.name}
              className="flex items-center justify-between gap-2 rounded-md px-3 py-2 text-sm hover:bg-slate-100 aria-[current=page]:font-semibold"
            >
              <span className="min-w-0 truncate">{team.name}</span>
              <span className="shrink-0 text-xs text-slate-500">{ROLE_LABELS[team.role]}</span>
            </Link>
          </li>
        ))}
        <li className="mt-1 border-t border-slate-100 pt-1">
          <Link href="/teams/new" className="block rounded-md px-3 py-2 text-sm text-brand-700 hover:bg-slate-100">
            + Create a team
          </Link>
        </li>
      </ul>
    </details>
  );
}
