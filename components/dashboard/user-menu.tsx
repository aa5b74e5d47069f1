"use client";
import Link from "next/link";
import { signOut } from "next-auth/react";

export function UserMenu({ name, email }: { name: string; email: string }) {
  return (
    <details className="relative">
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-slate-100"
        aria-label={`Account menu: ${name}`} // contains the visible name (axe: label-content-name-mismatch)
      >
        {/* The initial is drawn by CSS, so that the visible text is the name alone. */}
        <span
          aria-hidden="true"
          data-initial={name.slice(0, 1)}
          className="grid size-7 place-items-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700 uppercase before:content-[attr(data-initial)]"
        />
        <span className="hidden max-w-48 truncate text-slate-700 sm:inline" title={name}>
          {name}
        </span>
      </summary>
      <div className="absolute right-0 z-10 mt-2 w-60 rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200">
        <p className="truncate px-3 py-2 text-xs text-slate-500" title={email}>
          {email}
        </p>
        <Link href="/account" className="block rounded-md px-3 py-2 text-sm hover:bg-slate-100">
          Account
        </Link>
        <Link href="/account/security" className="block rounded-md px-3 py-2 text-sm hover:bg-slate-100">
          Security
        </Link>
        <button
          type="button"
          onClick={() => void signOut({ callbackUrl: "/sign-in" })}
          className="block w-full rounded-md px-3 py-2 text-left text-sm hover:bg-slate-100"
        >
          Sign out
        </button>
      </div>
    </details>
  );
}
