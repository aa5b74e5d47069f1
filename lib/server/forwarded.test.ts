// The edge's own forwarded headers: APP_URL's host and scheme when the operator set APP_URL, else the
// request's Host over http; the resolved client address; and no malformed Host relayed.
import { describe, expect, it } from "vitest";
import { configuredAppUrl, forwardedHeaders } from "./forwarded";

const request = (host?: string, relayedFor?: string) => ({
  headers: { ...(host === undefined ? {} : { host }), ...(relayedFor ? { "x-forwarded-for": relayedFor } : {}) },
});

describe("forwardedHeaders", () => {
  it("says APP_URL's host and scheme when APP_URL is set, whatever Host the client sent", () => {
    const stamp = forwardedHeaders(new URL("https://keys.example.com"));
    expect(stamp(request("evil.example", "10.0.0.1, 203.0.113.9"), "203.0.113.9")).toEqual({
      "x-forwarded-for": "203.0.113.9",
      "x-forwarded-host": "keys.example.com",
      "x-forwarded-proto": "https",
    });
  });

  it("says the request's own Host over http when APP_URL is not set", () => {
    const stamp = forwardedHeaders(null);
    expect(stamp(request("127.0.0.1:3000"), "127.0.0.1")).toEqual({
      "x-forwarded-host": "127.0.0.1:3000",
      "x-forwarded-proto": "http",
    });
    expect(stamp(request("[::1]:3000"), "::1")["x-forwarded-host"]).toBe("[::1]:3000");
  });

  it("says X-Forwarded-For, with the resolved address and not the client's list, only for a relayed request", () => {
    const stamp = forwardedHeaders(null);
    expect(stamp(request("h", "198.51.100.1, 10.9.9.9"), "10.9.9.9")["x-forwarded-for"]).toBe("10.9.9.9");
    expect(stamp({ headers: { host: "h", forwarded: "for=1.2.3.4" } }, "127.0.0.1")["x-forwarded-for"]).toBe(
      "127.0.0.1",
    );
    expect(stamp(request("h"), "127.0.0.1")).not.toHaveProperty("x-forwarded-for");
  });

  it("leaves out a Host that is missing or not a host", () => {
    const stamp = forwardedHeaders(null);
    expect(stamp(request(), "127.0.0.1")).not.toHaveProperty("x-forwarded-host");
    expect(stamp(request("a b, evil.example"), "127.0.0.1")).not.toHaveProperty("x-forwarded-host");
  });
});

describe("configuredAppUrl", () => {
  it("is APP_URL when the operator set it, and null for the derived default", () => {
    expect(configuredAppUrl({ APP_URL: "https://keys.example.com" }, "https://keys.example.com")?.origin).toBe(
      "https://keys.example.com",
    );
    expect(configuredAppUrl({}, "http://localhost:3000")).toBeNull();
    expect(configuredAppUrl({ APP_URL: " " }, "http://localhost:3000")).toBeNull();
  });
});
