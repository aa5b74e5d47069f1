// The timeline against real PostgreSQL: one team's events only, newest first, keyset pages both ways,
// group and actor filters, and members' sign-ins in the same stream.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.AUTH_SECRET ??= randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { recordAudit } = await import("@/lib/audit/record");
const { listTimeline } = await import("@/lib/audit/timeline");
const { parseAuditFilters } = await import("@/lib/audit/filters");
const { passwordStep } = await import("@/lib/auth/sign-in");
const { seedUser, TEST_PASSWORD, TEST_REQUEST } = await import("@/lib/testing/seed");

async function record(teamId: string, action: "api_key.create" | "member.role_change", label: string) {
  await db().$transaction((tx) =>
    recordAudit(tx, {
      teamId,
      actor: { type: "system", label },
      action,
      targets: [{ type: "api_key", id: randomBytes(8).toString("hex"), label: `target-${label}` }],
      context: TEST_REQUEST,
    }),
  );
}

describe("listTimeline", () => {
  it("shows one team's events newest first and pages older and newer by keyset", async () => {
    const a = await seedUser("timeline-a");
    const b = await seedUser("timeline-b");
    for (let i = 0; i < 7; i += 1) await record(a.team.id, "api_key.create", `a${i}`);
    await record(b.team.id, "api_key.create", "b-only");
    const all = await listTimeline({ team: a.team }, { limit: 500 });
    expect(all.items.some((item) => item.actorLabel === "b-only")).toBe(false);
    const times = all.items.map((item) => item.createdAt.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(
      all.items
        .filter((item) => item.action === "api_key.create")
        .map((i) => i.actorLabel)
        .slice(0, 3),
    ).toEqual(["a6", "a5", "a4"]);

    const first = await listTimeline({ team: a.team }, { limit: 3 });
    expect(first.items.map((i) => i.id)).toEqual(all.items.slice(0, 3).map((i) => i.id));
    expect(first.newerCursor).toBeNull();
    const second = await listTimeline({ team: a.team }, { limit: 3, cursor: first.olderCursor ?? "" });
    expect(second.items.map((i) => i.id)).toEqual(all.items.slice(3, 6).map((i) => i.id));
    const back = await listTimeline(
      { team: a.team },
      { limit: 3, cursor: second.newerCursor ?? "", direction: "newer" },
    );
    expect(back.items.map((i) => i.id)).toEqual(first.items.map((i) => i.id));
  });

  it("filters by action group and actor, and streams members' sign-ins with the sign_ins group", async () => {
    const a = await seedUser("timeline-filter");
    await record(a.team.id, "api_key.create", "keys-actor");
    await record(a.team.id, "member.role_change", "members-actor");
    await passwordStep({ email: a.user.email, password: "wrong-password-here" }, TEST_REQUEST);
    await passwordStep({ email: a.user.email, password: TEST_PASSWORD }, TEST_REQUEST);
    const filtered = async (query: string) => {
      const parsed = parseAuditFilters(new URLSearchParams(query));
      if (!parsed.success) throw new Error(parsed.error.message);
      return (await listTimeline({ team: a.team }, { filters: parsed.data })).items;
    };
    expect((await filtered("group=keys")).map((i) => i.actorLabel)).toEqual(["keys-actor"]);
    expect((await filtered("actor=members-act")).map((i) => i.action)).toEqual(["member.role_change"]);
    expect((await filtered("ip=203.0.113.0/24&group=keys")).length).toBe(1);
    expect(await filtered("ip=198.51.100.0/24")).toEqual([]);
    const signIns = await filtered("group=sign_ins");
    expect(signIns.map((i) => i.action).slice(0, 2)).toEqual(["sign_in.success", "sign_in.wrong_password"]);
    expect((await filtered("group=sign_ins&outcome=failure")).map((i) => i.action)).toEqual(["sign_in.wrong_password"]);
  });
});
