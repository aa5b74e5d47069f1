import type { ComponentProps, ReactNode } from "react";

const inputClass =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 aria-[invalid=true]:ring-red-400";

/** A labelled input with its hint and errors wired to it for screen readers. */
export function Field({
  label,
  name,
  errors,
  hint,
  ...props
}: ComponentProps<"input"> & { label: string; name: string; errors?: string[]; hint?: ReactNode }) {
  const id = props.id ?? `field-${name}`;
  const describedBy =
    [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        className={inputClass}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        {...props}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-xs text-red-600">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

export function Select({
  label,
  name,
  children,
  srOnlyLabel,
  ...props
}: ComponentProps<"select"> & { label: string; name: string; srOnlyLabel?: boolean }) {
  const id = props.id ?? `select-${name}`;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className={srOnlyLabel ? "sr-only" : "block text-sm font-medium text-slate-700"}>
        {label}
      </label>
      <select id={id} name={name} className={`${inputClass} pr-8`} {...props}>
        {children}
      </select>
    </div>
  );
}
