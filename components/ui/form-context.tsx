"use client";
// What the form's last failed submission carried back: the values typed (secrets left out) and the errors
// by field name. Fields read them so that every form keeps its input after a refusal without extra code.
import { createContext, useContext } from "react";
import type { FieldErrors } from "@/lib/api/errors";
import type { FormValues } from "@/lib/validations/form-values";

export type SubmittedForm = { values?: FormValues; fieldErrors?: FieldErrors };

export const SubmittedFormContext = createContext<SubmittedForm>({});

export function useSubmitted(name: string): { value?: string; errors?: string[] } {
  const { values, fieldErrors } = useContext(SubmittedFormContext);
  return { value: values?.[name], errors: fieldErrors?.[name] };
}

/** "Expires on (optional)" and "the expiry must be in the future." → "Expires on: the expiry must be…". */
export function labelled(label: string, messages: string[]): string {
  const name = label.replace(/\s*\(optional\)$/, "");
  const text = messages.join(" ");
  return text.startsWith(name) ? text : `${name}: ${text}`;
}
