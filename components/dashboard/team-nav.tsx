"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export type TeamNavItem = { href: string; label: string };

/** The team's sections; the layout passes only those the member's role may open. */
export function TeamNav({ items }: { items: TeamNavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Team">
      <ul className="flex flex-wrap gap-1 md:block md:space-y-1">
        {items.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={pathname === item.href ? "page" : undefined}
              className="block rounded-md px-3 py-2 text-sm whitespace-nowrap text-slate-600 hover:bg-white hover:text-slate-900 aria-[current=page]:bg-white aria-[current=page]:font-medium aria-[current=page]:text-slate-900 aria-[current=page]:ring-1 aria-[current=page]:ring-slate-200"
            >
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
