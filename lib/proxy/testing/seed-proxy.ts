// A team with an upstream key and member keys of every kind the proxy tests need (valid, revoked, expired,
// IP-restricted, rate-limited, malformed), written through the real code paths.
import { randomBytes, randomUUID } from "node:crypto";
import { signUp } from "@/lib/auth/accounts";
import { encryptSecret } from "@/lib/crypto/cipher";
import { db } from "@/lib/db/client";
import { generateKey } from "@/lib/keys/format";
import { issueKey } from "@/lib/keys/store";
import type { KeyScopes } from "@/lib/keys/scopes";

export async function seedProxyTeam() {
  const { user, team } = await signUp(
    {
      name: "Proxy owner",
      email: `proxy-${randomUUID()}@example.test`,
      password: "amber-kettle-orbit-31",
      teamName: "Proxy",
    },
    { ip: null, userAgent: "test" },
  );
  const upstreamId = randomUUID();
  const upstreamSecret = `sk-proj-${randomBytes(20).toString("hex")}`;
  await db().upstreamKey.create({
    data: {
      id: upstreamId,
      teamId: team.id,
      name: "mock",
      keyHint: upstreamSecret.slice(-4),
      encryptedKey: encryptSecret(upstreamSecret, { purpose: "upstream_key", teamId: team.id, rowId: upstreamId }),
    },
  });
  const issue = async (scopes: KeyScopes) =>
    (
      await issueKey(
        {
          teamId: team.id,
          holderId: user.id,
          createdById: user.id,
          actor: { type: "system", label: "test" },
          request: { ip: null, userAgent: "test" },
        },
        { name: "k", scopes },
      )
    ).key;
  const chat = { chat: "write", responses: "write", embeddings: "write", models: "read" } as const;
  const full = await issue({ endpoints: chat, models: ["gpt-4o-mini", "text-embedding-3-*"] });
  const rpm2 = await issue({ endpoints: chat, limits: { rpm: 2 } });
  const otherIp = await issue({ endpoints: chat, ipAllowList: ["203.0.113.0/24"] });
  const revoked = await issue({ endpoints: chat });
  await db().apiKey.updateMany({
    where: { teamId: team.id, prefix: revoked.slice(0, 12) },
    data: { revokedAt: new Date() },
  });
  const expired = await issue({ endpoints: chat });
  await db().apiKey.updateMany({
    where: { teamId: team.id, prefix: expired.slice(0, 12) },
    data: { expiresAt: new Date(Date.now() - 1000) },
  });
  const unknown = generateKey("live").key;
  const tampered = `${full.slice(0, 20)}${full[20] === "a" ? "b" : "a"}${full.slice(21)}`;
  return { team, user, upstreamSecret, full, rpm2, otherIp, revoked, expired, unknown, tampered, issue };
}
