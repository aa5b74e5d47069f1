import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "./record";
import { ACTION_GROUP, ACTION_GROUPS, actionsInGroup, parseAuditFilters } from "./filters";

describe("audit filters", () => {
  it("puts every action in exactly one group, and every group has actions", () => {
    const grouped = ACTION_GROUPS.flatMap((group) => actionsInGroup(group));
    expect(grouped.sort()).toEqual([...AUDIT_ACTIONS].sort());
    for (const group of ACTION_GROUPS) expect(actionsInGroup(group).length).toBeGreaterThan(0);
    expect(ACTION_GROUP["api_key.update"]).toBe("keys");
  });

  it("treats blank fields as absent and parses the rest", () => {
    const parsed = parseAuditFilters(
      new URLSearchParams("actor=&group=keys&ip=10.0.0.0/8&from=2026-12-01&to=2026-12-02&outcome=failure"),
    );
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data.actor).toBeUndefined();
    expect(parsed.data.group).toBe("keys");
    expect(parsed.data.ip).toBe("10.0.0.0/8");
    expect(parsed.data.from?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    // "To 2026-12-02" includes that whole day; an instant is taken as it is.
    expect(parsed.data.to?.toISOString()).toBe("2026-12-02T23:59:59.999Z");
    const instant = parseAuditFilters(new URLSearchParams("to=2026-12-02T10:00:00Z"));
    expect(instant.success && instant.data.to?.toISOString()).toBe("2026-12-02T10:00:00.000Z");
    expect(parsed.data.outcome).toBe("failure");
  });

  it("refuses a bad IP, an unknown group, a non-date and a reversed range, naming the field", () => {
    const messages = (query: string) => {
      const parsed = parseAuditFilters(new URLSearchParams(query));
      return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
    };
    expect(messages("ip=10.1")).toEqual([expect.stringContaining("IP or CIDR")]);
    expect(messages("ip=10.0.0.0/33")).toEqual([expect.stringContaining("IP or CIDR")]);
    expect(messages("group=nope").length).toBe(1);
    expect(messages("from=yesterday")).toEqual([expect.stringContaining("From must be a date")]);
    expect(messages("from=2026-12-02&to=2026-12-01")).toEqual(["From must not be after To."]);
  });
});
