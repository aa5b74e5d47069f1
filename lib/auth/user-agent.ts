// "Chrome 131 on macOS": a person-readable device from a user-agent string, parsed with bowser.
import Bowser from "bowser";

export type DeviceSummary = { browser: string; os: string; platform: string; label: string };

export function describeUserAgent(userAgent: string | null | undefined): DeviceSummary {
  if (!userAgent)
    return { browser: "Unknown browser", os: "unknown system", platform: "unknown", label: "Unknown device" };
  const parsed = Bowser.parse(userAgent);
  const major = parsed.browser.version?.split(".")[0];
  const browser = parsed.browser.name ? [parsed.browser.name, major].filter(Boolean).join(" ") : "Unknown browser";
  const os = parsed.os.name
    ? [parsed.os.name, parsed.os.versionName ?? ""].filter(Boolean).join(" ")
    : "unknown system";
  const platform = parsed.platform.type ?? "unknown";
  return { browser, os, platform, label: `${browser} on ${os}` };
}
