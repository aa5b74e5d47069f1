// Throttling with rate-limiter-flexible in PostgreSQL, time moved with a fake clock (Date only): an account's
// delays grow after five failures and answer like a wrong password, even to the right one; an IP's limit says
// "too many attempts"; a success starts the account's count again.
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.AUTH_SECRET = randomBytes(32).toString("base64");

const { passwordStep } = await import("@/lib/auth/sign-in");
const { ACCOUNT_FREE_FAILURES, IP_FREE_FAILURES } = await import("@/lib/auth/throttle");
const { db } = await import("@/lib/db/client");
const { seedUser, TEST_PASSWORD, uniqueEmail } = await import("@/lib/testing/seed");

afterEach(() => vi.useRealTimers());
const ipOf = (n: number) => ({ ip: `192.0.2.${n}`, userAgent: "throttle-test" });

describe("sign-in throttling", () => {
  it("makes an account wait after five failures, with growing delays, and a success resets it", async () => {
    const { user } = await seedUser("throttle-account");
    vi.useFakeTimers({ toFake: ["Date"] });
    let now = Date.now();
    const attempt = (password: string, ip: number) => passwordStep({ email: user.email, password }, ipOf(ip));
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) expect((await attempt("wrong", i)).outcome).toBe("refused");
    // The sixth failure sets a 1 s wait: the right password is refused inside it (from another IP too)...
    expect((await attempt("wrong", 10)).outcome).toBe("refused");
    expect((await attempt(TEST_PASSWORD, 11)).outcome).toBe("refused");
    const throttled = await db().signInEvent.findFirst({ where: { userId: user.id, kind: "throttled" } });
    expect(throttled?.reason).toBe("account delay");
    // ...and accepted once it is over.
    now += 1_100;
    vi.setSystemTime(now);
    expect((await attempt("wrong", 12)).outcome).toBe("refused"); // 7th failure: 2 s
    now += 1_100;
    vi.setSystemTime(now);
    expect((await attempt(TEST_PASSWORD, 13)).outcome).toBe("refused"); // still inside the 2 s
    now += 1_000;
    vi.setSystemTime(now);
    expect((await attempt(TEST_PASSWORD, 14)).outcome).toBe("signed_in");
    // The count starts again: five free failures.
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) expect((await attempt("wrong", 20 + i)).outcome).toBe("refused");
    expect((await attempt(TEST_PASSWORD, 30)).outcome).toBe("signed_in");
  });

  it("limits one IP across accounts and says so; other IPs are not affected", async () => {
    const { user } = await seedUser("throttle-ip");
    const ip = { ip: "192.0.2.200", userAgent: "throttle-test" };
    for (let i = 0; i < IP_FREE_FAILURES; i++)
      expect((await passwordStep({ email: uniqueEmail(`spray-${i}`), password: "guess" }, ip)).outcome).toBe("refused");
    expect((await passwordStep({ email: uniqueEmail("spray-x"), password: "guess" }, ip)).outcome).toBe("refused");
    expect((await passwordStep({ email: user.email, password: TEST_PASSWORD }, ip)).outcome).toBe("ip_throttled");
    expect((await passwordStep({ email: user.email, password: TEST_PASSWORD }, ipOf(201))).outcome).toBe("signed_in");
  });
});
