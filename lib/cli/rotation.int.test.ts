// `keyward keys roll|due` as an operator runs them: the real CLI in its own process against this file's
// database. Rolling prints the successor's key alone on stdout and goes the dashboard's way (audit row, the
// old key kept for the overlap); another team's key is not found and stays as it was; `due` lists what is
// due, of one team or of all, and never a key or its hash.
import { describe, expect, it } from "vitest";
import { rolledKeySchema } from "@/lib/api/paths/keys";
import { db } from "@/lib/db/client";
import { hashKey } from "@/lib/keys/format";
import { createKey } from "@/lib/keys/store";
import { operatorCli } from "@/lib/testing/operator-cli";
import { auditEvents, contextIn, seedMember, seedUser } from "@/lib/testing/seed";

const CHAT = { endpoints: { chat: "write" as const }, models: ["gpt-4o-mini"] };
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const { keyward } = operatorCli("rotation");

async function teamWithKey(label: string) {
  const owner = await seedUser(`${label}-owner`);
  const member = await seedMember(owner.team, "member", `${label}-member`);
  const key = await createKey(await contextIn(member, owner.team, "api_keys.own"), { name: "laptop", scopes: CHAT });
  return { owner, member, team: owner.team, key };
}

/** Makes a key `days` old (the default policy: due at 90 days, "due soon" from 76). */
const age = (id: string, days: number) =>
  db().apiKey.update({ where: { id }, data: { createdAt: new Date(Date.now() - days * DAY_MS) } });

describe("keyward keys roll", () => {
  it("prints the successor's key alone, keeps the old key for the overlap, and records it", async () => {
    const a = await teamWithKey("cli-roll");
    const before = Date.now();
    const result = await keyward("keys", "roll", "--team", a.team.slug, "--key", a.key.id, "--overlap-hours", "3");
    expect(result.code).toBe(0);
    const successor = await db().apiKey.findFirstOrThrow({ where: { rolledFromId: a.key.id } });
    const key = result.stdout.trim();
    expect(key).toMatch(/^kw_live_/);
    expect(hashKey(key)).toBe(successor.hash);
    expect(result.stderr).toContain(`Rolled laptop: ${successor.prefix}… replaces ${a.key.prefix}…`);

    const old = await db().apiKey.findUniqueOrThrow({ where: { id: a.key.id } });
    expect(old.overlapEndsAt?.getTime()).toBeGreaterThanOrEqual(before + 3 * HOUR_MS);
    expect(old.overlapEndsAt?.getTime()).toBeLessThanOrEqual(Date.now() + 3 * HOUR_MS);
    const [event] = await auditEvents(a.team.id, "api_key.roll");
    expect(event).toMatchObject({ actorType: "system", actorLabel: "keyward CLI", metadata: { overlapHours: 3 } });

    // Rolled once: the old key cannot be rolled again; its successor can, and --json gives the API's answer.
    const again = await keyward("keys", "roll", "--team", a.team.slug, "--key", a.key.id);
    expect(again.code).not.toBe(0);
    expect(again.output).toContain("already rolled");
    const json = await keyward("keys", "roll", "--team", a.team.slug, "--key", successor.id, "--json");
    expect(json.code).toBe(0);
    const rolled = rolledKeySchema.parse(JSON.parse(json.stdout));
    expect(rolled).toMatchObject({
      name: "laptop",
      holder: { email: a.member.user.email },
      previous: { id: successor.id },
    });
    expect(new Date(rolled.previous.overlapEndsAt).getTime()).toBeGreaterThan(Date.now() + 23.9 * HOUR_MS);
  });

  it("refuses another team's key and a bad overlap, and changes nothing", async () => {
    const a = await teamWithKey("cli-roll-a");
    const b = await teamWithKey("cli-roll-b");
    const cross = await keyward("keys", "roll", "--team", a.team.slug, "--key", b.key.id);
    expect(cross.code).not.toBe(0);
    expect(cross.output).toContain(`No member key with the id ${b.key.id} in ${a.team.slug}.`);
    for (const hours of ["0", "169", "1.5", "soon"]) {
      const bad = await keyward("keys", "roll", "--team", a.team.slug, "--key", a.key.id, "--overlap-hours", hours);
      expect(bad.code, hours).not.toBe(0);
      expect(bad.output).toContain("--overlap-hours");
    }
    const missing = await keyward("keys", "roll", "--team", a.team.slug);
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain("--key");
    expect(
      await db().apiKey.count({ where: { overlapEndsAt: { not: null }, teamId: { in: [a.team.id, b.team.id] } } }),
    ).toBe(0);
    expect(await auditEvents(b.team.id, "api_key.roll")).toEqual([]);
  });
});

describe("keyward keys due", () => {
  it("lists what is due in one team, or in every team, and never a key or its hash", async () => {
    const a = await teamWithKey("cli-due-a");
    const b = await teamWithKey("cli-due-b");
    const fresh = await createKey(await contextIn(a.owner, a.team, "api_keys.own"), { name: "fresh", scopes: CHAT });
    await age(a.key.id, 80);
    await age(b.key.id, 100);

    const table = await keyward("keys", "due", "--team", a.team.slug);
    expect(table.code).toBe(0);
    expect(table.output).toMatch(/TEAM +KIND +NAME +HOLDER +AGE \(DAYS\) +LAST USED +DUE +STATUS/);
    expect(table.output).toMatch(
      new RegExp(
        `${a.team.slug} +member +laptop \\(${a.key.prefix}…\\) +${a.member.user.email} +80 +never .* due soon \\(10 days left\\)`,
      ),
    );
    expect(table.output).not.toContain(fresh.prefix);
    expect(table.output).not.toContain(b.team.slug);

    const all = await keyward("keys", "due", "--json");
    expect(all.code).toBe(0);
    const listed = JSON.parse(all.stdout) as { team: string; id: string; status: string; ageDays: number }[];
    expect(listed.find((item) => item.id === a.key.id)).toMatchObject({
      team: a.team.slug,
      status: "due_soon",
      ageDays: 80,
    });
    expect(listed.find((item) => item.id === b.key.id)).toMatchObject({
      team: b.team.slug,
      status: "overdue",
      ageDays: 100,
    });
    expect(listed.some((item) => item.id === fresh.id)).toBe(false);

    // Once rolled, the old key is being replaced: no longer listed, and its successor is new.
    expect((await keyward("keys", "roll", "--team", b.team.slug, "--key", b.key.id)).code).toBe(0);
    const after = await keyward("keys", "due", "--team", b.team.slug);
    expect(after.output).toContain(`Nothing is due for rotation in ${b.team.slug}.`);

    for (const secret of [a.key.key, hashKey(a.key.key), b.key.key, hashKey(b.key.key)]) {
      expect(table.output).not.toContain(secret);
      expect(all.output).not.toContain(secret);
    }
    const unknown = await keyward("keys", "due", "--team", "no-such-team-here");
    expect(unknown.code).not.toBe(0);
    expect(unknown.output).toContain('No team with the slug "no-such-team-here".');
  });
});
