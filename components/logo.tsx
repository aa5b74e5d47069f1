import Link from "next/link";

// The mark, a keyhole in a shield, is drawn twice: inline here (no request, no flash of a missing image)
// and in public/icon.svg for the favicon. e2e/landing.spec.ts keeps the two drawings the same.
const SHIELD = "M16 3 27 7.1v8.1c0 6.6-4.5 11.8-11 13.8C9.5 27 5 21.8 5 15.2V7.1Z";
const KEYHOLE = "M16 9a4 4 0 0 0-1.9 7.5L13 23h6l-1.1-6.5A4 4 0 0 0 16 9Z";

export function Logo({ href = "/" }: { href?: string }) {
  return (
    <Link href={href} className="inline-flex items-center gap-2 text-lg font-semibold tracking-tight text-slate-900">
      <svg viewBox="0 0 32 32" aria-hidden="true" className="size-7">
        <path d={SHIELD} className="fill-brand-600 stroke-brand-600" strokeWidth={2} strokeLinejoin="round" />
        <path d={KEYHOLE} className="fill-white" />
      </svg>
      Keyward
    </Link>
  );
}
