// Next's proxy (the middleware of Next 16) for every page, server action and management API request; not for
// static assets, nor for the OpenAI-compatible paths (/v1, /api/v1: bearer member keys, answered by the
// edge's fast path, which never reaches Next). It refuses a state-changing request from another origin
// (lib/security/origin.ts), and gives each response a fresh CSP nonce and, on https, HSTS
// (lib/security/headers.ts). The root layout renders dynamically, so every page gets its own nonce.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { contentSecurityPolicy, newNonce, strictTransportSecurity } from "@/lib/security/headers";
import { expectedOrigin, originRefusal } from "@/lib/security/origin";
import { configuredAppUrl } from "@/lib/server/forwarded";

export function proxy(request: NextRequest): Response {
  const { APP_URL } = env();
  const expected = expectedOrigin(configuredAppUrl(process.env, APP_URL), request.headers.get("host"));
  const refusal = originRefusal(
    { method: request.method, pathname: request.nextUrl.pathname, headers: request.headers },
    expected,
  );
  if (refusal) return refusal;

  const nonce = newNonce();
  const policy = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders; x-nonce is
  // there for a component of ours that renders a <script> of its own (none does today).
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  const hsts = strictTransportSecurity(APP_URL);
  if (hsts) response.headers.set("strict-transport-security", hsts);
  return response;
}

export const config = {
  matcher: [
    "/((?!_next/static|_next/image|v1/|api/v1/|favicon\\.ico|icon\\.svg|apple-touch-icon\\.png|robots\\.txt).*)",
  ],
};
