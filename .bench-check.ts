import { randomBytes, randomUUID } from "node:crypto";
import { startScratchServer } from "@/lib/db/scratch-server";
import { createDatabase, databaseUrl, withClient } from "@/lib/db/admin";
import { applyMigrations } from "@/lib/db/migrate";
import { encryptSecret } from "@/lib/crypto/cipher";
import { keyringFromEnv } from "@/lib/crypto/keyring";
import { reencryptBatch, type ReencryptCursor } from "@/lib/crypto/reencrypt";

const server = await startScratchServer();
try {
  await createDatabase(server.adminUrl, "bench");
  const url = databaseUrl(server.adminUrl, "bench");
  await applyMigrations(url);
  const k1 = randomBytes(32).toString("base64"), k2 = randomBytes(32).toString("base64");
  const ring1 = keyringFromEnv({ ENCRYPTION_KEY: k1 });
  const ring = keyringFromEnv({ ENCRYPTION_KEY: k2, ENCRYPTION_KEY_VERSION: "2", ENCRYPTION_KEY_PREVIOUS: `1:${k1}` });
  const team = randomUUID();
  const N = 30000;
  const ids = Array.from({ length: N }, () => randomUUID());
  const v1 = ids.map((id) => encryptSecret("sk-x".repeat(20), { purpose: "upstream_key", teamId: team, rowId: id }, ring1));
  await withClient(url, async (c) => {
    await c.query(`INSERT INTO "Team" (id, slug, name, "updatedAt") VALUES ($1, 'b', 'b', now())`, [team]);
    await c.query(`INSERT INTO "UpstreamKey" (id, "teamId", name, "encryptedKey", "keyHint", "updatedAt") SELECT id, $2, 'k', ct, 'abcd', now() FROM unnest($1::uuid[], $3::text[]) v(id, ct)`, [ids, team, v1]);
  });
  for (const [batchSize, useCursor] of [[100, true], [100, false], [500, true]] as const) {
    await withClient(url, (c) => c.query(`UPDATE "UpstreamKey" u SET "encryptedKey" = v.ct FROM unnest($1::uuid[], $2::text[]) v(id, ct) WHERE u.id = v.id`, [ids, v1]));
    await withClient(url, (c) => c.query(`VACUUM ANALYZE "UpstreamKey"`));
    await withClient(url, async (client) => {
      const t = Date.now();
      let cursor: ReencryptCursor | undefined, done = 0, batches = 0;
      for (;;) {
        const r = await reencryptBatch({ connection: client, keyring: ring, from: 1, to: 2, batchSize, cursor: useCursor ? cursor : undefined });
        cursor = r.cursor; done += r.updated; batches++;
        if (!r.remaining) break;
      }
      console.log({ batchSize, useCursor, done, batches, ms: Date.now() - t, perSec: Math.round(done / ((Date.now() - t) / 1000)) });
    });
  }
} finally {
  await server.stop();
}
