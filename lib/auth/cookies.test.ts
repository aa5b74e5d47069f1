// authCookies: every next-auth cookie HttpOnly and SameSite=Lax; Secure, with the __Secure-/__Host- prefixes,
// exactly when APP_URL is https. hasSessionCookie finds the session cookie under either name and in chunks.
import { describe, expect, it } from "vitest";
import { authCookies, hasSessionCookie } from "./cookies";

const NAMES = ["sessionToken", "callbackUrl", "csrfToken", "pkceCodeVerifier", "state", "nonce"] as const;

describe("authCookies", () => {
  it("marks every cookie HttpOnly, SameSite=Lax and Secure, with prefixes, when APP_URL is https", () => {
    const { cookies, useSecureCookies } = authCookies("https://keys.example.com");
    expect(useSecureCookies).toBe(true);
    for (const name of NAMES) {
      expect(cookies[name]?.options, name).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/", secure: true });
    }
    expect(cookies.sessionToken?.name).toBe("__Secure-next-auth.session-token");
    expect(cookies.callbackUrl?.name).toBe("__Secure-next-auth.callback-url");
    expect(cookies.csrfToken?.name).toBe("__Host-next-auth.csrf-token");
    expect(cookies.csrfToken?.options.domain).toBeUndefined();
  });

  it("keeps them HttpOnly and SameSite=Lax but not Secure (a browser would drop them) on http", () => {
    const { cookies, useSecureCookies } = authCookies("http://127.0.0.1:3000");
    expect(useSecureCookies).toBe(false);
    for (const name of NAMES) {
      expect(cookies[name]?.options, name).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false });
      expect(cookies[name]?.name, name).toMatch(/^next-auth\./);
    }
    expect(cookies.sessionToken?.name).toBe("next-auth.session-token");
  });
});

describe("hasSessionCookie", () => {
  it("finds the session cookie, prefixed or chunked, and nothing else", () => {
    expect(hasSessionCookie("next-auth.session-token=abc")).toBe(true);
    expect(hasSessionCookie("a=1; __Secure-next-auth.session-token=abc")).toBe(true);
    expect(hasSessionCookie("next-auth.session-token.0=abc; next-auth.session-token.1=def")).toBe(true);
    expect(hasSessionCookie("next-auth.csrf-token=abc; theme=dark")).toBe(false);
    expect(hasSessionCookie("x-next-auth.session-token=abc")).toBe(false);
    expect(hasSessionCookie("")).toBe(false);
    expect(hasSessionCookie(null)).toBe(false);
  });
});
