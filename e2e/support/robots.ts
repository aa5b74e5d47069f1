// Whether a robots.txt lets a crawler fetch a path, by RFC 9309's rules: the longest matching pattern wins,
// Allow wins a tie, "*" matches anything and a final "$" anchors the end. Enough for our single-group file
// (every rule is read as if it were under "User-agent: *").
export function robotsAllows(robotsTxt: string, path: string): boolean {
  let best = { allow: true, length: -1 };
  for (const line of robotsTxt.split("\n")) {
    const rule = /^(allow|disallow):\s*(\S*)/i.exec(line.replace(/#.*/, "").trim());
    const pattern = rule?.[2];
    if (!rule || !pattern) continue;
    const anchored = pattern.endsWith("$");
    const body = (anchored ? pattern.slice(0, -1) : pattern)
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    if (!new RegExp(`^${body}${anchored ? "$" : ""}`).test(path)) continue;
    const allow = rule[1]?.toLowerCase() === "allow";
    if (pattern.length > best.length || (pattern.length === best.length && allow))
      best = { allow, length: pattern.length };
  }
  return best.allow;
}
