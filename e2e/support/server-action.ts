// Calls a server action the way React's client does (Next-Action header + encodeReply's multipart body),
// so a test can prove that the *server* refuses what the UI merely hides.
import { readFileSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";

type Manifest = { node: Record<string, { filename: string; exportedName: string }> };

export function serverActionId(filename: string, exportedName: string): string {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as Manifest;
  const entry = Object.entries(manifest.node).find(([, a]) => a.filename === filename && a.exportedName === exportedName);
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
  const multipart: Record<string, string> = { "0": JSON.stringify(["$undefined", "$K1"]) };
  for (const [key, value] of Object.entries(fields)) multipart[`1_${key}`] = value;
  const response = await request.post(pagePath, {
    headers: { "Next-Action": serverActionId(action.file, action.name), Accept: "text/x-component" },
    multipart,
  });
  return { status: response.status(), body: await response.text() };
}
