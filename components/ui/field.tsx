"use client";
// Labelled inputs and selects with their hint and errors wired to them for screen readers. Inside a form
// bound to an action's state they show again what was submitted and the errors about them.
import { useContext, type ComponentProps, type ReactNode } from "react";
import { labelled, SubmittedFormContext, useSubmitted } from "@/components/ui/form-context";

const inputClass =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-brand-500 aria-[invalid=true]:ring-red-500";

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

/** The field's errors, prefixed by its label: announced when they appear, and once only. */
function FieldError({ id, label, errors }: { id: string; label: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={`${id}-error`} role="alert" className="text-xs text-red-700">
      {labelled(label, errors)}
    </p>
  );
}

export function Field({
  label,
  name,
  errors,
  hint,
  ...props
}: ComponentProps<"input"> & { label: string; name: string; errors?: string[]; hint?: ReactNode }) {
  const id = props.id ?? `field-${name}`;
  const submitted = useSubmitted(name);
  const shown = errors ?? submitted.errors;
  // A password is never filled in again (nor sent back: lib/validations/form-values.ts).
  const value = props.type === "password" ? undefined : submitted.value;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        className={inputClass}
        aria-invalid={shown?.length ? true : undefined}
        aria-describedby={describedBy(id, Boolean(hint), Boolean(shown?.length))}
        {...props}
        {...(value !== undefined && props.value === undefined ? { defaultValue: value } : {})}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <FieldError id={id} label={label} errors={shown} />
    </div>
  );
}

export function Select({
  label,
  name,
  children,
  srOnlyLabel,
  errors,
  ...props
}: ComponentProps<"select"> & { label: string; name: string; srOnlyLabel?: boolean; errors?: string[] }) {
  const id = props.id ?? `select-${name}`;
  const submitted = useSubmitted(name);
  const shown = errors ?? submitted.errors;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className={srOnlyLabel ? "sr-only" : "block text-sm font-medium text-slate-700"}>
        {label}
      </label>
      <select
        id={id}
        name={name}
        className={`${inputClass} pr-8`}
        aria-invalid={shown?.length ? true : undefined}
        aria-describedby={describedBy(id, false, Boolean(shown?.length))}
        {...props}
        {...(submitted.value !== undefined && props.value === undefined ? { defaultValue: submitted.value } : {})}
      >
        {children}
      </select>
      <FieldError id={id} label={label} errors={shown} />
    </div>
  );
}

/**
 * A checkbox that, after a refused submission, stays as it was submitted: an unticked box is absent from
 * the form data, so "submitted without it" means unticked, not "fall back to the default".
 */
export function Checkbox({ name, defaultChecked, ...props }: ComponentProps<"input"> & { name: string }) {
  const { values } = useContext(SubmittedFormContext);
  const checked = values ? values[name] !== undefined && values[name] !== "false" : defaultChecked;
  return (
    <input
      type="checkbox"
      name={name}
      className="size-4 shrink-0 rounded border-slate-300"
      defaultChecked={checked}
      {...props}
    />
  );
}
