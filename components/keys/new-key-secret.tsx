"use client";
// A key shown this once (after creating or rolling it): read-only, selected on focus, with a copy button.
import { useState } from "react";
import { Button } from "@/components/ui/button";

export function NewKeySecret({ value, label = "Your new API key" }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex gap-2">
      <input
        readOnly
        aria-label={label}
        value={value}
        className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm"
        onFocus={(e) => e.currentTarget.select()}
      />
      <Button variant="secondary" onClick={() => void navigator.clipboard.writeText(value).then(() => setCopied(true))}>
        {copied ? "Copied" : "Copy"}
      </Button>
    </div>
  );
}
