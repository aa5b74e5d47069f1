import { describe, expect, it } from "vitest";
import { describeUserAgent } from "./user-agent";

describe("describeUserAgent", () => {
  it("names browser, major version and system", () => {
    const mac =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    expect(describeUserAgent(mac)).toMatchObject({ browser: "Chrome 131", platform: "desktop" });
    expect(describeUserAgent(mac).label).toMatch(/^Chrome 131 on macOS/);
  });

  it("recognises a phone", () => {
    const iphone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    expect(describeUserAgent(iphone)).toMatchObject({ browser: "Safari 17", os: "iOS", platform: "mobile" });
  });

  it("says so when it cannot tell", () => {
    expect(describeUserAgent(null).label).toBe("Unknown device");
    expect(describeUserAgent("???").label).toBe("Unknown browser on unknown system");
  });
});
