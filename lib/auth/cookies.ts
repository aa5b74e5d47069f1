// next-auth's cookies, decided by APP_URL (the address users reach), not by NEXTAUTH_URL or the request:
// every cookie HttpOnly (no script reads them, so an XSS cannot lift a session), SameSite=Lax (not sent on
// cross-site POSTs; the Origin check in proxy.ts is the second lock), and Secure with the __Secure-/__Host-
// prefixes when APP_URL is https, so a network attacker on plain http can neither read nor plant them.
import type { CookieOption, CookiesOptions } from "next-auth";

export const SESSION_COOKIE = "next-auth.session-token";

type AuthCookies = { cookies: Partial<CookiesOptions>; useSecureCookies: boolean };

export function authCookies(appUrl: string): AuthCookies {
  const secure = new URL(appUrl).protocol === "https:";
  const prefix = secure ? "__Secure-" : "";
  const cookie = (name: string, extra: Partial<CookieOption["options"]> = {}): CookieOption => ({
    name,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure, ...extra },
  });
  return {
    useSecureCookies: secure,
    cookies: {
      sessionToken: cookie(`${prefix}${SESSION_COOKIE}`),
      callbackUrl: cookie(`${prefix}next-auth.callback-url`),
      // __Host-: Secure, Path=/ and no Domain, so no sibling subdomain can set it.
      csrfToken: cookie(`${secure ? "__Host-" : ""}next-auth.csrf-token`),
      pkceCodeVerifier: cookie(`${prefix}next-auth.pkce.code_verifier`, { maxAge: 15 * 60 }),
      state: cookie(`${prefix}next-auth.state`, { maxAge: 15 * 60 }),
      nonce: cookie(`${prefix}next-auth.nonce`),
    },
  };
}

/**
 * Whether a Cookie header carries a next-auth session (either prefix, or a chunk of a large one: ".0", ".1").
 * Only the name is looked at: an invalid cookie still makes the request a browser's, which must show its Origin.
 */
export function hasSessionCookie(cookieHeader: string | null): boolean {
  if (!cookieHeader) return false;
  return cookieHeader.split(";").some((pair) => {
    const name = pair.split("=")[0]?.trim() ?? "";
    return name.replace(/^__Secure-/, "").replace(/\.\d+$/, "") === SESSION_COOKIE;
  });
}
