// `keyward audit export|verify|head|prune` as an operator runs them: the real CLI in its own process against
// this file's database. The export goes to stdout and is itself audited as "keyward CLI"; verify prints
// "intact up to event N" or the broken link and exits 1 then; head prints what chainHead says.
import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { chainHead } from "@/lib/audit/chain";
import { CSV_COLUMNS } from "@/lib/audit/export";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { operatorCli } from "@/lib/testing/operator-cli";
import { auditEvents, seedUser } from "@/lib/testing/seed";

const { keyward } = operatorCli("audit");

describe("keyward audit export", () => {
  it("writes the team's log as CSV or JSON Lines to stdout, and records the export", async () => {
    const owner = await seedUser("cli-audit-export");
    const csv = await keyward("audit", "export", "--team", owner.team.slug, "--format", "csv");
    expect(csv.stderr).toBe("");
    expect(csv.code).toBe(0);
    const rows = parse(csv.stdout) as string[][];
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((row) => row[3])).toContain("team.create");
    const [exported] = await auditEvents(owner.team.id, "audit.export");
    expect(exported).toMatchObject({ actorType: "system", actorLabel: "keyward CLI", metadata: { format: "csv" } });

    const jsonl = await keyward(
      "audit",
      "export",
      "--team",
      owner.team.slug,
      "--format",
      "jsonl",
      "--since",
      "2000-01-01",
    );
    expect(jsonl.code).toBe(0);
    const records = jsonl.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { action: string });
    // Newest first: the first export is in the second one.
    expect(records[0]?.action).toBe("audit.export");
    expect(await auditEvents(owner.team.id, "audit.export")).toHaveLength(2);
  });

  it("refuses a bad format or date, naming the flag, and exports nothing", async () => {
    const owner = await seedUser("cli-audit-bad");
    const format = await keyward("audit", "export", "--team", owner.team.slug, "--format", "xml");
    expect(format.code).toBe(1);
    expect(format.stderr).toContain("--format: Format must be csv or jsonl.");
    const since = await keyward("audit", "export", "--team", owner.team.slug, "--format", "csv", "--since", "soon");
    expect(since.code).toBe(1);
    expect(since.stderr).toContain("--since:");
    expect(format.stdout + since.stdout).toBe("");
    expect(await auditEvents(owner.team.id, "audit.export")).toEqual([]);
  });
});

describe("keyward audit verify and head", () => {
  it("prints the head, says the chain is intact, and names a changed event with exit code 1", async () => {
    const owner = await seedUser("cli-audit-verify");
    const head = await chainHead(owner.team.id);
    const printed = await keyward("audit", "head", "--team", owner.team.slug);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(`seq  ${head.seq}\nhash ${head.hash}\ntime ${head.at.toISOString()}\n`);

    const intact = await keyward("audit", "verify", "--team", owner.team.slug);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain(`${owner.team.slug}: intact up to event ${head.seq} (`);

    const other = await seedUser("cli-audit-other");
    const event = await db().auditEvent.findFirstOrThrow({ where: { teamId: other.team.id, seq: 1 } });
    await transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      await tx.$executeRawUnsafe(`UPDATE "AuditEvent" SET "ip" = '198.51.100.1' WHERE id = $1::uuid`, event.id);
    });
    const all = await keyward("audit", "verify");
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(`${owner.team.slug}: intact up to event`);
    expect(all.stdout).toContain(`${other.team.slug}: BROKEN at event 1 (${event.id}): event changed`);
    expect(all.stderr).toMatch(/broken chain/);

    const missing = await keyward("audit", "head", "--team", `no-such-team-${randomUUID()}`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No team with the slug");
  });
});

describe("keyward audit prune", () => {
  it("prunes nothing inside the retention period and records nothing", async () => {
    const owner = await seedUser("cli-audit-prune");
    const pruned = await keyward("audit", "prune", "--team", owner.team.slug);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain("Pruned 0 audit events");
    expect(await auditEvents(owner.team.id, "audit.prune")).toEqual([]);
  });
});
