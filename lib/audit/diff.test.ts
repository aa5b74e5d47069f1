import { describe, expect, it } from "vitest";
import { eventChanges } from "./diff";

describe("eventChanges", () => {
  it("lists a scope edit field by field, leaving unchanged fields out", () => {
    const rows = eventChanges({
      before: { endpoints: { chat: "write", embeddings: "read" }, ipAllowList: ["10.0.0.0/8"] },
      after: { endpoints: { chat: "read", embeddings: "read" }, ipAllowList: [], budget: { usd: 5 } },
    });
    expect(rows).toEqual([
      { field: "budget.usd", label: "Budget: usd", before: "—", after: "5" },
      { field: "endpoints.chat", label: "Endpoint: chat", before: "write", after: "read" },
      { field: "ipAllowList", label: "IP allow-list", before: "10.0.0.0/8", after: "—" },
    ]);
  });

  it("reads role changes ({from, to}) and renames", () => {
    expect(eventChanges({ from: "member", to: "viewer" })).toEqual([
      { field: "role", label: "Role", before: "member", after: "viewer" },
    ]);
    expect(
      eventChanges({
        before: { endpoints: { chat: "read" } },
        after: { endpoints: { chat: "read" } },
        renamed: { from: "a", to: "b" },
      }),
    ).toEqual([{ field: "name", label: "Name", before: "a", after: "b" }]);
  });

  it("finds no change in events that record none", () => {
    expect(eventChanges({})).toEqual([]);
    expect(eventChanges(null)).toEqual([]);
    expect(eventChanges({ before: { a: 1 }, after: { a: 1 } })).toEqual([]);
  });
});
