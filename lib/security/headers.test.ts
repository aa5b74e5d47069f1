// The CSP a page gets (a nonce, 'strict-dynamic', no inline scripts) and HSTS only for an https APP_URL.
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, STRICT_TRANSPORT_SECURITY, strictTransportSecurity } from "./headers";

const directives = (policy: string) =>
  Object.fromEntries(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

describe("contentSecurityPolicy", () => {
  it("allows scripts by nonce and strict-dynamic only, and locks objects, base, forms and framing", () => {
    const policy = directives(contentSecurityPolicy("abc123==", { dev: false }));
    expect(policy["script-src"]).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(policy["object-src"]).toEqual(["'none'"]);
    expect(policy["base-uri"]).toEqual(["'self'"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(policy["form-action"]).toEqual(["'self'"]);
    expect(policy["default-src"]).toEqual(["'self'"]);
    expect(JSON.stringify(policy["script-src"])).not.toContain("unsafe");
  });

  it("adds 'unsafe-eval' for scripts in development only", () => {
    expect(directives(contentSecurityPolicy("n", { dev: true }))["script-src"]).toContain("'unsafe-eval'");
  });
});

describe("newNonce", () => {
  it("is 16 random bytes in base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});

describe("strictTransportSecurity", () => {
  it("is two years with subdomains on an https APP_URL, and absent on http", () => {
    expect(strictTransportSecurity("https://keys.example.com")).toBe(STRICT_TRANSPORT_SECURITY);
    expect(STRICT_TRANSPORT_SECURITY).toBe("max-age=63072000; includeSubDomains");
    expect(strictTransportSecurity("http://127.0.0.1:3000")).toBeNull();
  });
});
