// What a form submitted, as plain strings: parsed by the action's schema, and echoed back on failure so
// the form can show the user what they typed instead of an empty form.

export type FormValues = Record<string, string>;

export function formToObject(formData: FormData): FormValues {
  const out: FormValues = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION")) out[key] = value;
  }
  return out;
}

// Secrets never travel back: a password, an upstream API key or an invitation token would otherwise sit
// in the action's response (and in the page's HTML when the form is rendered again) for anyone to read.
const SECRET_FIELD = /password|secret|token|^key$|apikey/i;

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** The submitted values that may be shown again: everything but secrets. */
export function echoableValues(values: FormValues): FormValues {
  return Object.fromEntries(Object.entries(values).filter(([name]) => !isSecretField(name)));
}
