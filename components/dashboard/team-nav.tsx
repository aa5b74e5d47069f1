"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export function TeamNav({ slug }: { slug: string }) {
  const pathname = usePathname();
  const items = [
    { href: `/t/${slug}`, label: "Overview" },
    { href: `/t/${slug}/members`, label: "Members" },
  ];
  return (
    <nav aria-label="Team">
      <ul className="space-y-1">
        {items.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={pathname === item.href ? "page" : undefined}
              className="block rounded-md px-3 py-2 text-sm text-slate-600 hover:bg-white hover:text-slate-900 aria-[current=page]:bg-white aria-[current=page]:font-medium aria-[current=page]:text-slate-900 aria-[current=page]:ring-1 aria-[current=page]:ring-slate-200"
            >
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
