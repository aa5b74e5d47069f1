// GET /api/teams/{slug}/audit-events and …/export through the real route handlers with management keys:
// keyset pages both ways, the shared filters, 422 on bad filters, CSV and JSON Lines with the same rows as
// the API, the export recorded as an event, 403 without the audit.read grant, and team isolation (another
// team's slug is a 404, another team's events never appear).
import { randomBytes } from "node:crypto";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

beforeAll(() => {
  process.env.AUTH_SECRET ||= randomBytes(32).toString("base64");
  process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
});

const { GET: list } = await import("@/app/api/teams/[slug]/audit-events/route");
const { GET: exportRoute } = await import("@/app/api/teams/[slug]/audit-events/export/route");
const { GET: verifyRoute } = await import("@/app/api/teams/[slug]/audit-events/verify/route");
const { verificationSchema } = await import("@/lib/api/paths/audit");
const { auditEntrySchema } = await import("@/lib/api/paths/audit");
const { CSV_COLUMNS } = await import("@/lib/audit/export");
const { recordAudit } = await import("@/lib/audit/record");
const { transaction } = await import("@/lib/db/transaction");
const { createManagementKey } = await import("@/lib/keys/management");
const { answer, callRoute } = await import("@/lib/testing/api-call");
const { appErrorOf, auditEvents, contextIn, seedMember, seedUser } = await import("@/lib/testing/seed");

const pageSchema = z.object({
  data: auditEntrySchema.array(),
  olderCursor: z.string().nullable(),
  newerCursor: z.string().nullable(),
});

/** A team with an audit.read key and `count` key events of its own, recorded by the owner from `ip`. */
async function teamWithEvents(label: string, count: number, ip: string) {
  const owner = await seedUser(`${label}-owner`);
  const mgmt = await createManagementKey(await contextIn(owner, owner.team, "management_keys.write"), {
    name: `${label} auditor bot`,
    scopes: ["audit.read"],
  });
  for (let index = 0; index < count; index++) {
    await transaction((tx) =>
      recordAudit(tx, {
        teamId: owner.team.id,
        actor: { type: "user", id: owner.user.id, label: owner.user.email },
        action: index % 2 === 0 ? "api_key.create" : "api_key.revoke",
        targets: [{ type: "api_key", id: crypto.randomUUID(), label: `${label}-key-${index}` }],
        metadata: {},
        context: { ip, userAgent: `${label}-agent` },
      }),
    );
  }
  return { owner, team: owner.team, mgmt };
}

async function page(key: string, slug: string, query: Record<string, string> = {}) {
  const response = await answer(await callRoute(list, { slug }, key, { query }));
  expect(response.status).toBe(200);
  return pageSchema.parse(response.body);
}

let a: Awaited<ReturnType<typeof teamWithEvents>>;
let b: Awaited<ReturnType<typeof teamWithEvents>>;
beforeAll(async () => {
  a = await teamWithEvents("alpha", 5, "198.51.100.10");
  b = await teamWithEvents("bravo", 3, "192.0.2.20");
});

describe("GET /api/teams/{slug}/audit-events", () => {
  it("pages the team's own timeline, newest first, older and back newer", async () => {
    const all = await page(a.mgmt.key, a.team.slug, { limit: "500" });
    expect(all.data.every((entry) => !entry.targets.some((target) => target.label?.startsWith("bravo")))).toBe(true);
    const keyEvents = all.data.filter((entry) => entry.targets[0]?.label?.startsWith("alpha-key"));
    expect(keyEvents.map((entry) => entry.targets[0]?.label)).toEqual(
      [4, 3, 2, 1, 0].map((index) => `alpha-key-${index}`),
    );
    const times = all.data.map((entry) => entry.time);
    expect([...times].sort().reverse()).toEqual(times);

    const first = await page(a.mgmt.key, a.team.slug, { limit: "2", group: "keys", target: "alpha-key" });
    expect(first.data.map((entry) => entry.targets[0]?.label)).toEqual(["alpha-key-4", "alpha-key-3"]);
    expect(first.newerCursor).toBeNull();
    const second = await page(a.mgmt.key, a.team.slug, {
      limit: "2",
      group: "keys",
      target: "alpha-key",
      cursor: first.olderCursor!,
    });
    expect(second.data.map((entry) => entry.targets[0]?.label)).toEqual(["alpha-key-2", "alpha-key-1"]);
    const third = await page(a.mgmt.key, a.team.slug, {
      limit: "2",
      group: "keys",
      target: "alpha-key",
      cursor: second.olderCursor!,
    });
    expect(third.data.map((entry) => entry.targets[0]?.label)).toEqual(["alpha-key-0"]);
    expect(third.olderCursor).toBeNull();
    const back = await page(a.mgmt.key, a.team.slug, {
      limit: "2",
      group: "keys",
      target: "alpha-key",
      cursor: third.newerCursor!,
      direction: "newer",
    });
    expect(back.data).toEqual(second.data);
  });

  it("filters by group, target, IP range and date, as the page does", async () => {
    const revokes = await page(a.mgmt.key, a.team.slug, { group: "keys", target: "alpha-key-3" });
    expect(revokes.data.map((entry) => entry.action)).toEqual(["api_key.revoke"]);
    const inRange = await page(a.mgmt.key, a.team.slug, { ip: "198.51.100.0/24" });
    expect(inRange.data).toHaveLength(5);
    expect(inRange.data.every((entry) => entry.ip === "198.51.100.10")).toBe(true);
    const otherRange = await page(a.mgmt.key, a.team.slug, { ip: "192.0.2.0/24" });
    expect(otherRange.data).toEqual([]);
    const future = await page(a.mgmt.key, a.team.slug, { from: "2999-01-01" });
    expect(future.data).toEqual([]);
  });

  it("answers 422 with the field for a bad filter or cursor, and 403 without audit.read", async () => {
    const badIp = await answer(await callRoute(list, { slug: a.team.slug }, a.mgmt.key, { query: { ip: "10.0.0" } }));
    expect(badIp.status).toBe(422);
    expect(JSON.stringify(badIp.body)).toContain("ip");
    const badCursor = await answer(
      await callRoute(list, { slug: a.team.slug }, a.mgmt.key, { query: { cursor: "not-a-cursor" } }),
    );
    expect(badCursor.status).toBe(422);
    const badLimit = await answer(
      await callRoute(list, { slug: a.team.slug }, a.mgmt.key, { query: { limit: "501" } }),
    );
    expect(badLimit.status).toBe(422);

    const noGrant = await createManagementKey(await contextIn(a.owner, a.team, "management_keys.write"), {
      name: "members only",
      scopes: ["members.read"],
    });
    expect((await callRoute(list, { slug: a.team.slug }, noGrant.key)).status).toBe(403);
    expect(
      (await callRoute(exportRoute, { slug: a.team.slug }, noGrant.key, { query: { format: "csv" } })).status,
    ).toBe(403);
  });

  it("is a 404 for another team's slug, on the list and the export", async () => {
    const listed = await callRoute(list, { slug: b.team.slug }, a.mgmt.key);
    expect(listed.status).toBe(404);
    const exported = await callRoute(exportRoute, { slug: b.team.slug }, a.mgmt.key, { query: { format: "jsonl" } });
    expect(exported.status).toBe(404);
    expect(await auditEvents(b.team.id, "audit.export")).toEqual([]);
  });
});

describe("the audit log's door for sessions", () => {
  it("is a 404 to a member and a viewer (the page, the API, the export and verify all use it), open to an auditor", async () => {
    for (const role of ["member", "viewer"] as const) {
      const person = await seedMember(a.team, role, `door-${role}`);
      expect((await appErrorOf(contextIn(person, a.team, "audit.read"))).code).toBe("not_found");
    }
    const auditor = await seedMember(a.team, "auditor", "door-auditor");
    expect((await contextIn(auditor, a.team, "audit.read")).permissions.has("audit.read")).toBe(true);
  });
});

describe("GET /api/teams/{slug}/audit-events/verify", () => {
  it("says the team's chain is intact up to its head, and is a 404 for another team", async () => {
    const verified = await answer(await callRoute(verifyRoute, { slug: a.team.slug }, a.mgmt.key));
    expect(verified.status).toBe(200);
    const data = verificationSchema.parse((verified.body as { data: unknown }).data);
    expect(data).toMatchObject({ ok: true, brokenAt: null, reason: null });
    expect(data.head.seq).toBeGreaterThanOrEqual(5);
    expect(data.verifiedThrough?.seq).toBe(data.head.seq);
    expect(data.head.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await callRoute(verifyRoute, { slug: b.team.slug }, a.mgmt.key)).status).toBe(404);
  });
});

describe("GET /api/teams/{slug}/audit-events/export", () => {
  it("streams CSV and JSON Lines with the rows of the filtered view, and records each export", async () => {
    const view = await page(a.mgmt.key, a.team.slug, { group: "keys", target: "alpha-key", limit: "500" });
    expect(view.data).toHaveLength(5);

    const csv = await callRoute(exportRoute, { slug: a.team.slug }, a.mgmt.key, {
      query: { format: "csv", group: "keys", target: "alpha-key" },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename=".+-audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parse(await csv.text(), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_COLUMNS]);
    expect(rows.map((row) => [row.id, row.time, row.action, row.actor, row.ip])).toEqual(
      view.data.map((entry) => [entry.id, entry.time, entry.action, entry.actor, entry.ip]),
    );

    const jsonl = await callRoute(exportRoute, { slug: a.team.slug }, a.mgmt.key, {
      query: { format: "jsonl", group: "keys", target: "alpha-key" },
    });
    expect(jsonl.status).toBe(200);
    const lines = (await jsonl.text()).trimEnd().split("\n");
    expect(lines.map((line) => auditEntrySchema.parse(JSON.parse(line)))).toEqual(view.data);

    const exports = await auditEvents(a.team.id, "audit.export");
    expect(exports).toHaveLength(2);
    expect(exports.map((event) => event.metadata)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          format: "csv",
          filters: expect.objectContaining({ group: "keys", target: "alpha-key" }),
        }),
        expect.objectContaining({ format: "jsonl" }),
      ]),
    );
    expect(exports.every((event) => event.actorType === "api_key" && event.actorId === a.mgmt.id)).toBe(true);
    expect(await auditEvents(b.team.id, "audit.export")).toEqual([]);

    // Team B's export holds only team B's events.
    const bKeys = await page(b.mgmt.key, b.team.slug, { group: "keys", target: "bravo-key" });
    const bExport = await callRoute(exportRoute, { slug: b.team.slug }, b.mgmt.key, { query: { format: "jsonl" } });
    const bText = await bExport.text();
    expect(bText).not.toContain("alpha-key");
    expect(bKeys.data).toHaveLength(3);
  });

  it("answers 422 for a missing or unknown format, and records nothing", async () => {
    const before = (await auditEvents(a.team.id, "audit.export")).length;
    const queries: Record<string, string>[] = [{}, { format: "xml" }];
    for (const query of queries) {
      const response = await answer(await callRoute(exportRoute, { slug: a.team.slug }, a.mgmt.key, { query }));
      expect(response.status).toBe(422);
      expect(JSON.stringify(response.body)).toContain("format");
    }
    expect(await auditEvents(a.team.id, "audit.export")).toHaveLength(before);
  });
});
