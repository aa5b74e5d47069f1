// Which upstream failures may be retried on another key: only those where nothing reached the upstream.
import { describe, expect, it } from "vitest";
import { classifyUpstreamError } from "./forward";

const kind = (code: string) => classifyUpstreamError(Object.assign(new Error("x"), { code })).kind;

describe("classifyUpstreamError", () => {
  it("retries only connect-phase failures; anything after the request may have left is a reset", () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "UND_ERR_CONNECT_TIMEOUT"])
      expect(kind(code)).toBe("connect");
    for (const code of ["UND_ERR_SOCKET", "ECONNRESET", "UND_ERR_HEADERS_OVERFLOW", "UND_ERR_INVALID_ARG", "EPIPE"])
      expect(kind(code)).toBe("reset");
    expect(kind("UND_ERR_HEADERS_TIMEOUT")).toBe("timeout");
    expect(kind("UND_ERR_ABORTED")).toBe("aborted");
    expect(classifyUpstreamError(new Error("no code")).kind).toBe("reset");
  });
});
