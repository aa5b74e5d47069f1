// The Origin rule on its own: which requests must show our Origin, which origin that is, and the refusal.
import { describe, expect, it } from "vitest";
import { expectedOrigin, needsSameOrigin, originRefusal, ORIGIN_REFUSED } from "./origin";

const APP = "http://127.0.0.1:3000";
const head = (method: string, pathname: string, headers: Record<string, string> = {}) => ({
  method,
  pathname,
  headers: new Headers(headers),
});

describe("needsSameOrigin", () => {
  it("leaves reads alone", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"])
      expect(needsSameOrigin(head(method, "/api/teams/a/keys"))).toBe(false);
  });

  it("asks it of every state-changing request a browser could be made to send", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(needsSameOrigin(head(method, "/api/teams/a/keys", { cookie: "next-auth.session-token=x" }))).toBe(true);
    }
    expect(needsSameOrigin(head("POST", "/sign-up", { "next-action": "abc" }))).toBe(true);
    expect(needsSameOrigin(head("POST", "/api/auth/callback/credentials"))).toBe(true);
    expect(needsSameOrigin(head("POST", "/t/acme/keys"))).toBe(true);
    expect(needsSameOrigin(head("POST", "/api/teams/a/keys"))).toBe(true);
  });

  it("exempts a management API call authenticated by a bearer key alone", () => {
    expect(needsSameOrigin(head("POST", "/api/teams/a/keys", { authorization: "Bearer kw_mgmt_x" }))).toBe(false);
    // …but not with a session cookie beside it, nor a server action or next-auth carrying a bearer.
    const withCookie = { authorization: "Bearer kw_mgmt_x", cookie: "__Secure-next-auth.session-token=x" };
    expect(needsSameOrigin(head("POST", "/api/teams/a/keys", withCookie))).toBe(true);
    const action = { authorization: "Bearer kw_mgmt_x", "next-action": "abc" };
    expect(needsSameOrigin(head("POST", "/api/teams/a/keys", action))).toBe(true);
    expect(needsSameOrigin(head("POST", "/api/auth/signout", { authorization: "Bearer x" }))).toBe(true);
    expect(needsSameOrigin(head("POST", "/sign-up", { authorization: "Bearer x" }))).toBe(true);
  });
});

describe("expectedOrigin", () => {
  it("is APP_URL's origin when set, else the Host's over http", () => {
    expect(expectedOrigin(new URL("https://keys.example.com/base"), "evil.example")).toBe("https://keys.example.com");
    expect(expectedOrigin(null, "127.0.0.1:3000")).toBe(APP);
    expect(expectedOrigin(null, "Keys.Example.com:80")).toBe("http://keys.example.com");
    expect(expectedOrigin(null, null)).toBeNull();
    expect(expectedOrigin(null, "a b")).toBeNull();
  });
});

describe("originRefusal", () => {
  it("lets our own Origin through and refuses a foreign, null or missing one", async () => {
    const cookie = { cookie: "next-auth.session-token=x" };
    expect(originRefusal(head("POST", "/api/teams/a/keys", { ...cookie, origin: APP }), APP)).toBeNull();
    for (const origin of ["http://evil.example", "null", "http://127.0.0.1:3001", "https://127.0.0.1:3000"]) {
      const refused = originRefusal(head("POST", "/api/teams/a/keys", { ...cookie, origin }), APP);
      expect(refused?.status, origin).toBe(403);
      expect(await refused?.json()).toEqual({ error: { code: "forbidden", message: ORIGIN_REFUSED } });
    }
    const page = originRefusal(head("POST", "/sign-up", { "next-action": "abc" }), APP);
    expect(page?.status).toBe(403);
    expect(page?.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(originRefusal(head("POST", "/sign-up", { origin: APP }), null)?.status).toBe(403);
  });
});
