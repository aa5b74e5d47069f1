import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { TEST_REQUEST } from "@/lib/testing/seed";

const SYSTEM = { type: "system", label: "record.int.test" } as const;

/** One committed event in a team of its own, read back whole. */
async function committedEvent() {
  const teamId = randomUUID();
  await db().$transaction((tx) =>
    recordAudit(tx, { teamId, actor: SYSTEM, action: "team.create", metadata: { n: 1 }, context: TEST_REQUEST }),
  );
  return db().auditEvent.findFirstOrThrow({ where: { teamId } });
}

describe("AuditEvent is append-only in the database", () => {
  it.each([
    ["UPDATE", `UPDATE "AuditEvent" SET action = 'team.delete', metadata = '{}' WHERE id = $1::uuid`],
    ["DELETE", `DELETE FROM "AuditEvent" WHERE id = $1::uuid`],
  ])("refuses %s and leaves the row as it was", async (operation, sql) => {
    const event = await committedEvent();
    await expect(db().$executeRawUnsafe(sql, event.id)).rejects.toThrow(new RegExp(`append-only: ${operation}`));
    expect(await db().auditEvent.findUnique({ where: { id: event.id } })).toEqual(event);
  });

  it("refuses TRUNCATE and keeps every row", async () => {
    const event = await committedEvent();
    const count = await db().auditEvent.count();
    await expect(db().$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await db().auditEvent.count()).toBe(count);
    expect(await db().auditEvent.findUnique({ where: { id: event.id } })).toEqual(event);
  });
});

describe("recordAudit", () => {
  it("is atomic with the change: a transaction that throws afterwards leaves neither the change nor the event", async () => {
    const slug = `rolled-back-${randomUUID()}`;
    const failure = new Error("the change failed after it was audited");
    let teamId: string | undefined;
    const attempt = db().$transaction(async (tx) => {
      const team = await tx.team.create({ data: { name: "Rolled back", slug }, select: { id: true } });
      teamId = team.id;
      await recordAudit(tx, {
        teamId: team.id,
        actor: SYSTEM,
        action: "team.create",
        targets: [{ type: "team", id: team.id }],
        context: TEST_REQUEST,
      });
      // Visible inside the transaction, so the rollback below is what removes it.
      expect(await tx.auditEvent.count({ where: { teamId: team.id } })).toBe(1);
      throw failure;
    });

    await expect(attempt).rejects.toBe(failure);
    expect(await db().team.count({ where: { slug } })).toBe(0);
    expect(teamId).toBeDefined();
    expect(await db().auditEvent.count({ where: { teamId } })).toBe(0);
  });
});
