import { describe, expect, it } from "vitest";
import { describeSignInEvent } from "@/lib/auth/sign-in-event-labels";

describe("describeSignInEvent", () => {
  it("names the second factor of a successful sign-in", () => {
    expect(describeSignInEvent({ kind: "success", metadata: { secondFactor: "totp" } }).label).toBe(
      "Signed in with an authenticator code",
    );
    expect(describeSignInEvent({ kind: "success", metadata: { secondFactor: "recovery_code" } }).label).toBe(
      "Signed in with a recovery code",
    );
    expect(describeSignInEvent({ kind: "success", metadata: { secondFactor: "none" } }).label).toBe("Signed in");
    expect(describeSignInEvent({ kind: "success", metadata: null }).label).toBe("Signed in");
  });

  it("says how many recovery codes remain, when the record knows", () => {
    expect(describeSignInEvent({ kind: "recovery_code_used", metadata: { remaining: 9 } }).label).toBe(
      "Recovery code used (9 left)",
    );
    expect(describeSignInEvent({ kind: "recovery_code_used", metadata: ["odd"] }).label).toBe("Recovery code used");
  });

  it("marks refusals in amber and never shows the internal reason", () => {
    expect(describeSignInEvent({ kind: "throttled", metadata: null })).toEqual({
      label: "Refused: too many attempts",
      tone: "amber",
    });
  });
});
