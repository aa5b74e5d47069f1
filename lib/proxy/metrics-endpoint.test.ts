import { describe, expect, it } from "vitest";
import { isLoopback, metricsAccess } from "./metrics-endpoint";

describe("isLoopback", () => {
  it.each(["127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"])("%s is this machine", (ip) =>
    expect(isLoopback(ip)).toBe(true),
  );
  it.each(["192.0.2.2", "10.0.0.1", "::ffff:10.0.0.1", "fd00::2", "::", "", "localhost", "128.0.0.1", "::2"])(
    "%s is not",
    (ip) => expect(isLoopback(ip)).toBe(false),
  );
});

describe("metricsAccess", () => {
  const token = "a-metrics-token-of-32-characters";
  it("without a token: loopback only, and never a request a proxy relayed", () => {
    expect(metricsAccess(undefined, "127.0.0.1", {})).toBe("allowed");
    expect(metricsAccess(undefined, "192.0.2.2", {})).toBe("loopback-only");
    expect(metricsAccess(undefined, "127.0.0.1", { "x-forwarded-for": "203.0.113.9" })).toBe("loopback-only");
    expect(metricsAccess(undefined, "127.0.0.1", { forwarded: "for=203.0.113.9" })).toBe("loopback-only");
  });
  it("with a token: the bearer token from anywhere, and nothing else, not even loopback", () => {
    expect(metricsAccess(token, "192.0.2.2", { authorization: `Bearer ${token}` })).toBe("allowed");
    expect(metricsAccess(token, "127.0.0.1", {})).toBe("unauthorized");
    expect(metricsAccess(token, "127.0.0.1", { authorization: `Bearer ${token}x` })).toBe("unauthorized");
    expect(metricsAccess(token, "127.0.0.1", { authorization: token })).toBe("unauthorized");
  });
});
