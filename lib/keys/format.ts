// Keyward API key format: `kw_<kind>_<32 random base62><6 base62 CRC32>`, e.g. kw_live_…(46 characters).
// The checksum lets the proxy turn away typos and scanner noise offline, before any database lookup;
// the random part (32 × log2(62) ≈ 190 bits) is what makes a key unguessable.
import * as nodeCrypto from "node:crypto";
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

/** `live`: a member's key for the proxy. `mgmt`: a team management key for Keyward's own API. */
export const KEY_KINDS = ["live", "mgmt"] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const RANDOM_LENGTH = 32;
export const CHECKSUM_LENGTH = 6; // 62^6 ≈ 5.7e10 > 2^32, 62^5 ≈ 9.2e8 is not enough
/** Random characters shown in the display prefix: enough to tell keys apart, far too few to matter. */
export const PREFIX_RANDOM_CHARS = 4;
const HEAD_LENGTH = "kw_live_".length; // every kind tag is four letters
export const KEY_LENGTH = HEAD_LENGTH + RANDOM_LENGTH + CHECKSUM_LENGTH;

/**
 * Finds Keyward keys inside text (secret scanners, log redaction). Not global and not anchored: scanners
 * build their own `new RegExp(KEY_PATTERN.source, "g")`, so no shared `lastIndex` state leaks between calls.
 */
export const KEY_PATTERN = /\bkw_(?:live|mgmt)_[0-9A-Za-z]{38}\b/;
const EXACT_KEY = /^kw_(?:live|mgmt)_[0-9A-Za-z]{38}$/;

export type ParsedKey =
  { readonly ok: true; readonly kind: KeyKind } | { readonly ok: false; readonly reason: "format" | "checksum" };

// parseKey runs on every proxied request: it hands back these shared frozen results instead of allocating.
const PARSED_LIVE: ParsedKey = Object.freeze({ ok: true, kind: "live" });
const PARSED_MGMT: ParsedKey = Object.freeze({ ok: true, kind: "mgmt" });
const BAD_FORMAT: ParsedKey = Object.freeze({ ok: false, reason: "format" });
const BAD_CHECKSUM: ParsedKey = Object.freeze({ ok: false, reason: "checksum" });

// 248 = 4 × 62: bytes below it map onto base62 evenly; the 8 bytes above are rejected, so no modulo bias.
const UNBIASED_LIMIT = 256 - (256 % BASE62.length);

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    // A few spare bytes so one draw almost always suffices (3% of bytes are rejected).
    for (const byte of randomBytes(length + 8)) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += BASE62[byte % BASE62.length];
      if (out.length === length) break;
    }
  }
  return out;
}

function encodeChecksum(value: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function base62Digit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 65 && code <= 90) return code - 55; // A-Z
  return code - 61; // a-z (the regex has already ruled out anything else)
}

/** SHA-256, hex. The proxy runs this on every request: the one-shot crypto.hash (Node ≥ 20.12) skips the Hash object. */
export function hashKey(key: string): string {
  return typeof nodeCrypto.hash === "function"
    ? nodeCrypto.hash("sha256", key, "hex")
    : createHash("sha256").update(key, "utf8").digest("hex");
}

export function generateKey(kind: KeyKind): { key: string; hash: string; prefix: string } {
  // A runtime check too: the kind ends up inside a secret, so a stray value must not slip through a cast.
  if (!KEY_KINDS.includes(kind)) throw new Error(`Unknown key kind: ${String(kind)}`);
  const body = `kw_${kind}_${randomBase62(RANDOM_LENGTH)}`;
  const key = body + encodeChecksum(crc32(body));
  return { key, hash: hashKey(key), prefix: key.slice(0, HEAD_LENGTH + PREFIX_RANDOM_CHARS) };
}

/** Offline check of shape, alphabet, length and checksum: one regex test and one CRC32, no allocation. */
export function parseKey(candidate: string): ParsedKey {
  // The length test first keeps arbitrarily long headers away from the regex.
  if (typeof candidate !== "string" || candidate.length !== KEY_LENGTH || !EXACT_KEY.test(candidate)) return BAD_FORMAT;
  const bodyLength = KEY_LENGTH - CHECKSUM_LENGTH;
  let stated = 0;
  for (let i = bodyLength; i < KEY_LENGTH; i++) stated = stated * 62 + base62Digit(candidate.charCodeAt(i));
  if (stated !== crc32(candidate.slice(0, bodyLength))) return BAD_CHECKSUM;
  return candidate.charCodeAt(3) === 108 /* "l" */ ? PARSED_LIVE : PARSED_MGMT;
}
