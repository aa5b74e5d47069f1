// Calls the sign-up form's server action over HTTP as React's client does (encodeReply: the form's fields as
// "_1_<name>", then the root part "0"), with the headers a test chooses (Origin, forged X-Forwarded-Host…).
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { z } from "zod";

const manifestSchema = z.object({
  node: z.record(
    z.string(),
    z.object({ workers: z.record(z.string(), z.unknown()), exportedName: z.string().optional() }),
  ),
});

/** The sign-up form's server action id, from the build the server runs (ids change with the code). */
export function signUpActionId(): string {
  const file = path.join(process.cwd(), ".next", "server", "server-reference-manifest.json");
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  // By name: the page has other actions too (every form can ask for step-up: reauthenticateAction).
  const id = Object.entries(manifest.node).find(
    ([, entry]) => entry.exportedName === "signUpAction" && "app/(auth)/sign-up/page" in entry.workers,
  )?.[0];
  if (!id) throw new Error("the build has no server action for /sign-up");
  return id;
}

export type SignUpFields = { name: string; email: string; password: string; teamName?: string; inviteToken?: string };

export async function callSignUpAction(
  baseUrl: string,
  fields: SignUpFields,
  headers: Record<string, string>,
): Promise<{ status: number; contentType: string; body: string }> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) form.append(`_1_${key}`, value);
  form.append("0", JSON.stringify([null, "$K1"]));
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}/sign-up`,
      {
        method: "POST",
        agent: false,
        headers: {
          "next-action": signUpActionId(),
          accept: "text/x-component",
          "content-type": encoded.headers.get("content-type") ?? "",
          "content-length": String(body.length),
          ...headers,
        },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.once("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers["content-type"] ?? "",
            body: text,
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}
