// Sign-in throttling with rate-limiter-flexible, stored in PostgreSQL (its Prisma store, table SignInThrottle)
// so every server of a cluster sees the same counts. Two keys per attempt, each with growing delays:
//  - the account (by normalised e-mail, so an unknown address is throttled exactly like a real one): after
//    ACCOUNT_FREE_FAILURES consecutive failures, each further failure blocks it for 1 s, 2 s, 4 s … up to
//    15 minutes. Throttled attempts are answered like a wrong password.
//  - the client IP: IP_FREE_FAILURES (50: an office behind one NAT) failures in 15 minutes, then 1 s, 2 s …
//    up to 15 minutes. The sign-in page may say "too many attempts" for this one (it tells an attacker
//    nothing about any account).
// The lock after 100 consecutive failures (NIST SP 800-63B 5.2.2) lives on the user row (lib/auth/sign-in.ts).
import { RateLimiterPrisma, type RateLimiterRes } from "rate-limiter-flexible";
import { db } from "@/lib/db/client";

export const ACCOUNT_FREE_FAILURES = 5;
export const IP_FREE_FAILURES = 50;
const MAX_DELAY_SECONDS = 15 * 60;

/** The block after the `failures`-th failure in a row: none within the free allowance, then doubling. */
export function delaySeconds(failures: number, free: number): number {
  if (failures <= free) return 0;
  return Math.min(MAX_DELAY_SECONDS, 2 ** Math.min(failures - free - 1, 20));
}

type Limiters = { count: RateLimiterPrisma; wait: RateLimiterPrisma };

function limiters(prefix: string, windowSeconds: number): Limiters {
  const common = { storeClient: db(), tableName: "signInThrottle", clearExpiredByTimeout: false } as const;
  return {
    // Failures in a row (the window restarts after `windowSeconds` without one, or on success).
    count: new RateLimiterPrisma({ ...common, keyPrefix: `${prefix}:n`, points: 1_000_000, duration: windowSeconds }),
    // A marker that exists while the key is made to wait.
    wait: new RateLimiterPrisma({ ...common, keyPrefix: `${prefix}:w`, points: 1, duration: 1 }),
  };
}

let cached: { account: Limiters; ip: Limiters } | undefined;
function all() {
  cached ??= { account: limiters("acct", 24 * 60 * 60), ip: limiters("ip", 15 * 60) };
  return cached;
}

const accountKey = (email: string) => email.trim().toLowerCase();

async function waiting(set: Limiters, key: string): Promise<boolean> {
  const res: RateLimiterRes | null = await set.wait.get(key);
  return res !== null && res.consumedPoints > 1 && res.msBeforeNext > 0;
}

async function fail(set: Limiters, key: string, free: number): Promise<void> {
  const res = await set.count.penalty(key, 1);
  const seconds = delaySeconds(res.consumedPoints, free);
  if (seconds > 0) await set.wait.block(key, seconds);
}

export type ThrottleState = { account: boolean; ip: boolean };

/** Whether the account or the IP must wait before its next attempt is even checked. */
export async function throttleState(email: string, ip: string | null): Promise<ThrottleState> {
  const { account, ip: byIp } = all();
  const [a, i] = await Promise.all([waiting(account, accountKey(email)), ip ? waiting(byIp, ip) : false]);
  return { account: a, ip: i };
}

/** A failed password or second factor: counts towards both keys' delays. */
export async function recordThrottledFailure(email: string, ip: string | null): Promise<void> {
  const { account, ip: byIp } = all();
  await Promise.all([
    fail(account, accountKey(email), ACCOUNT_FREE_FAILURES),
    ip ? fail(byIp, ip, IP_FREE_FAILURES) : undefined,
  ]);
}

/** A complete sign-in (or an unlock): the account's count starts again. The IP's does not. */
export async function clearAccountThrottle(email: string): Promise<void> {
  const { account } = all();
  await Promise.all([account.count.delete(accountKey(email)), account.wait.delete(accountKey(email))]);
}
