// Random tokens and their hashes: what we store for anything that works as a bearer secret.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes as base64url: the secret part of invite links. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Constant-time comparison for secrets of possibly different lengths. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a).digest();
  const right = createHash("sha256").update(b).digest();
  return timingSafeEqual(left, right);
}
