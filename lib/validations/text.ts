// Text that is stored: names of users, teams and keys. PostgreSQL refuses a NUL byte in text, which made a
// `\u0000` in a name a 500; the other control characters (C0, DEL, C1) have no place in a one-line name
// either, and some (bidi overrides aside) hide what a name says. One rule, refused as a validation error.
import { z } from "zod";

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const NO_CONTROL_CHARACTERS = "Remove the control characters (such as NUL) from this field.";

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/** A string without control characters; chain `.trim().min()…` on it as on z.string(). */
export function safeText(): z.ZodString {
  return z.string().refine((value) => !hasControlCharacters(value), NO_CONTROL_CHARACTERS);
}

/** A yyyy-mm-dd that names a real day: 2026-02-31 does not (Date would roll it into March), nor "abc". */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}
