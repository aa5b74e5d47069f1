// Rolling keys and rotation expiry through the real server (the proxy's fast path) and the mock upstream, on
// a clock the test moves: both keys work during the overlap and the old one is refused once it has ended; a
// key at 95 % of its budget is at 95 % after rolling, and its rate-limit window carries over; grace expiry
// revokes a key and the proxy refuses it on the next request; the old key's overlap requests are counted.
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { db } = await import("@/lib/db/client");
const { proxyHarness } = await import("@/lib/proxy/testing/proxy-harness");
const { issueKey } = await import("@/lib/keys/store");
const { manualClock } = await import("./clock");
const { requestsLastHour, rollApiKey, ROLL_ERRORS } = await import("./roll");
const { runRotationSweep } = await import("./sweep");
const { updateRotationPolicy } = await import("./team-policy");
const { appErrorOf } = await import("@/lib/testing/seed");

const harness = proxyHarness({ chunkDelayMs: 0, logLevel: "warn" });
const REQUEST = { ip: null, userAgent: "test" };
const SYSTEM = { type: "system" as const, label: "test" };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const chat = (apiKey: string, extra: Record<string, unknown> = {}) =>
  new OpenAI({ baseURL: `${harness.app.url}/v1`, apiKey, maxRetries: 0, timeout: 10_000 }).chat.completions
    .create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      ...extra,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming)
    .then(
      () => ({ status: 200, code: null as string | null }),
      (error: InstanceType<typeof OpenAI.APIError>) => ({ status: error.status, code: error.code ?? null }),
    );
const scope = () => ({ team: harness.seeded.team, actor: SYSTEM, request: REQUEST });
const issue = (scopes: Parameters<typeof issueKey>[1]["scopes"], name = "k") =>
  issueKey(
    {
      teamId: harness.seeded.team.id,
      holderId: harness.seeded.user.id,
      createdById: null,
      actor: SYSTEM,
      request: REQUEST,
    },
    { name, scopes },
  );
const CHAT = { chat: "write", models: "read" } as const;

describe("rolling a key", () => {
  it("keeps both keys working during the overlap and refuses the old one once it has ended", async () => {
    const clock = manualClock(new Date());
    const old = await issue({ endpoints: CHAT }, "ci deploy");
    expect(await chat(old.key)).toMatchObject({ status: 200 });
    const rolled = await rollApiKey(scope(), { id: old.id }, { overlapHours: 2 }, clock);
    expect(rolled.key).not.toBe(old.key);
    expect(rolled.previous.overlapEndsAt).toEqual(new Date(clock().getTime() + 2 * HOUR));
    // Same name, scopes and holder; one roll chain.
    const [oldRow, newRow] = await Promise.all([
      db().apiKey.findUniqueOrThrow({ where: { id: old.id } }),
      db().apiKey.findUniqueOrThrow({ where: { id: rolled.id } }),
    ]);
    expect(newRow).toMatchObject({ name: "ci deploy", userId: oldRow.userId, lineageId: old.id, rolledFromId: old.id });
    expect(newRow.scopes).toEqual(oldRow.scopes);
    // A key is rolled once; its successor is rolled next time.
    expect((await appErrorOf(rollApiKey(scope(), { id: old.id }, {}, clock))).message).toBe(ROLL_ERRORS.rolled);

    // During the overlap both work, and the old key's requests are counted.
    expect(await chat(rolled.key)).toMatchObject({ status: 200 });
    expect(await chat(old.key)).toMatchObject({ status: 200 });
    await expect
      .poll(async () => (await requestsLastHour(harness.seeded.team.id, [old.id], new Date())).get(old.id) ?? 0, {
        timeout: 15_000,
      })
      .toBe(2);

    // A second before the overlap ends, the sweep leaves it alone; at the end it is revoked.
    clock.advance(2 * HOUR - 1_000);
    expect((await runRotationSweep(clock())).overlapsEnded).toBe(0);
    expect(await chat(old.key)).toMatchObject({ status: 200 });
    clock.advance(1_000);
    expect((await runRotationSweep(clock())).overlapsEnded).toBe(1);
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: old.id } })).revokedReason).toBe("rolled");
    await expect.poll(async () => (await chat(old.key)).status).toBe(401);
    expect(await chat(rolled.key)).toMatchObject({ status: 200 });
  });

  it("never resets a budget: a key at 95 % of it is at 95 % after rolling", async () => {
    const budget = { amountUsd: 0.01, period: "lifetime" as const };
    const old = await issue({ endpoints: CHAT, budget });
    const fresh = await issue({ endpoints: CHAT, budget });
    // 95 % of $0.01 already spent by the old key.
    await db().keyUsage.create({
      data: {
        keyId: old.id,
        teamId: harness.seeded.team.id,
        day: new Date(new Date().toISOString().slice(0, 10)),
        model: "gpt-4o-mini",
        requests: 19,
        costMicros: 9_500n,
      },
    });
    const rolled = await rollApiKey(scope(), { id: old.id }, {});
    // A request that may cost $0.0012: more than the 5 % left, well within a fresh key's $0.01.
    const big = { max_tokens: 2_000 };
    expect(await chat(fresh.key, big)).toMatchObject({ status: 200 });
    expect(await chat(rolled.key, big)).toMatchObject({ status: 429, code: "insufficient_quota" });
    expect(await chat(old.key, big)).toMatchObject({ status: 429, code: "insufficient_quota" });
    // What is left is still usable by either key: a small request fits.
    expect(await chat(rolled.key, { max_tokens: 5 })).toMatchObject({ status: 200 });
  });

  it("carries the rate-limit window over to the successor", async () => {
    const old = await issue({ endpoints: CHAT, limits: { rpm: 2 } });
    expect(await chat(old.key)).toMatchObject({ status: 200 });
    expect(await chat(old.key)).toMatchObject({ status: 200 });
    const rolled = await rollApiKey(scope(), { id: old.id }, {});
    expect(await chat(rolled.key)).toMatchObject({ status: 429, code: "rate_limit_exceeded" });
    expect(await chat(old.key)).toMatchObject({ status: 429, code: "rate_limit_exceeded" });
  });

  it("expires a key past its due date and grace period, and the proxy refuses it next", async () => {
    await updateRotationPolicy(scope(), { memberKeyMaxAgeDays: 30, atDeadline: "expire", graceDays: 7 });
    try {
      const key = await issue({ endpoints: CHAT });
      const created = (await db().apiKey.findUniqueOrThrow({ where: { id: key.id } })).createdAt.getTime();
      const clock = manualClock(new Date(created + 37 * DAY - 1_000));
      await runRotationSweep(clock());
      expect(await chat(key.key)).toMatchObject({ status: 200 });
      clock.advance(1_000);
      expect((await runRotationSweep(clock())).expired).toBeGreaterThanOrEqual(1);
      await expect.poll(async () => (await chat(key.key)).status).toBe(401);
    } finally {
      await updateRotationPolicy(scope(), {});
    }
  });
});
