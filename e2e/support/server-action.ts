// Calls a server action the way React's client does (Next-Action header + encodeReply's multipart body),
// so a test can prove that the *server* refuses what the UI merely hides.
import { readFileSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { SAME_ORIGIN } from "./same-origin";

type Manifest = { node: Record<string, { filename: string; exportedName: string }> };

export function serverActionId(filename: string, exportedName: string): string {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as Manifest;
  const entry = Object.entries(manifest.node).find(
    ([, a]) => a.filename === filename && a.exportedName === exportedName,
  );
  if (!entry) throw new Error(`No server action ${exportedName} in ${filename}`);
  return entry[0];
}

/** Invokes a `(previousState, formData)` action with these form fields; returns the raw RSC response text. */
export async function callFormAction(
  request: APIRequestContext,
  pagePath: string,
  action: { file: string; name: string },
  fields: Record<string, string>,
): Promise<{ status: number; body: string }> {
  // As React 19.3's encodeReply does: the form's fields first, named "_<formId>_<field>", the root part "0"
  // last. Should React change this encoding, the action sees an empty form and answers with a validation
  // error, so the assertions fail rather than pass by accident.
  // (A FormData, not an object: an object would list the integer-like key "0" first whatever we do.)
  const multipart = new FormData();
  for (const [key, value] of Object.entries(fields)) multipart.append(`_1_${key}`, value);
  multipart.append("0", JSON.stringify([null, "$K1"]));
  const response = await request.post(pagePath, {
    headers: { "Next-Action": serverActionId(action.file, action.name), Accept: "text/x-component", ...SAME_ORIGIN },
    multipart,
  });
  return { status: response.status(), body: await response.text() };
}
