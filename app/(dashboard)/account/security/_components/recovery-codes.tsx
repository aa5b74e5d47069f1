"use client";
// The ten recovery codes, shown once (after set-up or regeneration), with a text file to keep them in.
import { useEffect, useRef } from "react";
import { Button, buttonClass } from "@/components/ui/button";

export type IssuedCodes = { codes: string[]; file: string };

export const RECOVERY_CODES_FILE_NAME = "keyward-recovery-codes.txt";

export function RecoveryCodes({ issued, onDone }: { issued: IssuedCodes; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The codes replace the form that produced them: move focus to them, so screen readers read them next.
  useEffect(() => heading.current?.focus(), []);
  // A data: URL rather than a Blob: nothing to revoke, and it works before any script has run.
  const href = `data:text/plain;charset=utf-8,${encodeURIComponent(issued.file)}`;
  return (
    <div className="space-y-4">
      <div>
        <h3 ref={heading} tabIndex={-1} className="text-sm font-semibold text-slate-900 focus:outline-none">
          Save your recovery codes
        </h3>
        <p className="mt-1 text-sm text-slate-600">
          If you lose your authenticator app, each of these codes signs you in once. They are shown only now: keep them
          somewhere safe, such as a password manager. Any earlier codes no longer work.
        </p>
      </div>
      <ol
        aria-label="Recovery codes"
        className="grid max-w-md grid-cols-1 gap-x-6 gap-y-1 rounded-lg bg-slate-50 p-4 font-mono text-sm text-slate-900 ring-1 ring-slate-200 ring-inset min-[360px]:grid-cols-2"
      >
        {issued.codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <a href={href} download={RECOVERY_CODES_FILE_NAME} className={buttonClass({ variant: "secondary" })}>
          Download as a text file
        </a>
        <Button onClick={onDone}>I have saved them</Button>
      </div>
    </div>
  );
}
