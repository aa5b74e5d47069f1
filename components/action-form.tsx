"use client";
import { useActionState, type ReactNode } from "react";
import type { ActionResult, FormAction } from "@/lib/actions/safe-action";

/**
 * A form bound to a server action: hidden fields, an optional confirmation, and the action's error or
 * success message shown next to it (announced to screen readers).
 */
export function ActionForm<T>({
  action,
  hidden = {},
  confirm,
  success,
  className = "",
  children,
}: {
  action: FormAction<T>;
  hidden?: Record<string, string>;
  confirm?: string;
  success?: string | ((result: Extract<ActionResult<T>, { ok: true }>) => ReactNode);
  className?: string;
  children: ReactNode;
}) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form
      action={formAction}
      className={className}
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      {state && !state.ok ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          {state.error}
          {state.fieldErrors ? ` ${Object.values(state.fieldErrors).flat().join(" ")}` : ""}
        </p>
      ) : null}
      {state?.ok && success ? (
        <div role="status" className="mt-2 text-sm text-emerald-700">
          {typeof success === "string" ? success : success(state)}
        </div>
      ) : null}
    </form>
  );
}
