// The master key's age, end to end: a real server whose ENCRYPTION_KEY was made long ago warns at start-up,
// says so on /api/ready and in /metrics, and names the README's rotation steps; the age of a version counts
// from its first use, recorded once.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
process.env.AUTH_SECRET ||= randomBytes(32).toString("base64");

const { makeEmbeddedTempDir } = await import("@/lib/db/scratch-server");
const { findFreePort } = await import("@/lib/db/embedded-location");
const { startApp } = await import("@/lib/testing/app-process");
const { db } = await import("@/lib/db/client");

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("master key age", () => {
  it("warns at start-up, on /api/ready and in /metrics once ENCRYPTION_KEY is older than its maximum age", async () => {
    const dataDir = await makeEmbeddedTempDir("keyward-master-age-");
    dirs.push(dataDir);
    const port = await findFreePort();
    const app = await startApp(
      {
        ...process.env,
        DATA_DIR: dataDir,
        ENCRYPTION_KEY_CREATED_AT: "2025-01-01",
        ENCRYPTION_KEY_MAX_AGE_DAYS: "180",
      },
      port,
    );
    try {
      const ready = (await (await fetch(`${app.url}/api/ready`)).json()) as { masterKey: Record<string, unknown> };
      expect(ready.masterKey).toMatchObject({
        version: 1,
        since: "2025-01-01T00:00:00.000Z",
        maxAgeDays: 180,
        rotationDue: true,
        docs: "README.md#rotating-the-master-key-without-downtime",
      });
      expect(ready.masterKey.ageDays as number).toBeGreaterThan(180);
      expect(app.output()).toContain("ENCRYPTION_KEY_MAX_AGE_DAYS: rotate it");
      expect(app.output()).not.toContain(process.env.ENCRYPTION_KEY!);
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toMatch(/^keyward_master_key_rotation_due 1$/m);
      expect(metrics).toMatch(/^keyward_master_key_age_days \d{3,}$/m);
      // The version's first use is recorded once, and is what the age counts from without the setting.
      const first = await db().masterKeyVersion.findUniqueOrThrow({ where: { version: 1 } });
      expect(first.firstSeenAt.getTime()).toBeLessThanOrEqual(Date.now());
    } finally {
      await app.stop();
    }
  });
});
