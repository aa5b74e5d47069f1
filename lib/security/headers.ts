// The page security headers that depend on the request or the configuration, set by proxy.ts (the static
// ones, X-Frame-Options and friends, are in next.config.ts).
//
// script-src: only scripts carrying this response's nonce run, and what they load ('strict-dynamic'); Next
// puts the nonce on its own inline and chunk scripts when it finds it in the request's CSP header. No
// 'unsafe-inline' for scripts. 'unsafe-eval' only in `npm run dev`, whose React debugging needs it.
// style-src keeps 'unsafe-inline': React renders `style` attributes into the HTML (the re-encryption
// progress bar), which a nonce cannot cover, and Next injects inline styles of its own. Injected CSS cannot
// run script; what it could leak is bounded by img-src/font-src/connect-src staying on our own origin.
export function contentSecurityPolicy(nonce: string, options: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    // data: for QR codes and inline icons; nothing from other origins.
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce per response: 16 random bytes, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

// Two years, and every subdomain: the value hstspreload.org asks for. No `preload`: that is the operator's
// decision, hard to undo.
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** HSTS only when users reach the app over https (APP_URL): on plain http a browser ignores it anyway, and
 * an https APP_URL is the operator saying that every address of this host speaks TLS. */
export function strictTransportSecurity(appUrl: string): string | null {
  return new URL(appUrl).protocol === "https:" ? STRICT_TRANSPORT_SECURITY : null;
}
