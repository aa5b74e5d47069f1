import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { redactText } from "@/lib/logger";
import {
  BASE62,
  CHECKSUM_LENGTH,
  generateKey,
  hashKey,
  KEY_KINDS,
  KEY_LENGTH,
  KEY_PATTERN,
  parseKey,
  PREFIX_RANDOM_CHARS,
  RANDOM_LENGTH,
} from "./format";

const HEAD = "kw_live_".length;

function swapAt(text: string, i: number): string {
  return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
}

describe("generateKey", () => {
  it.each(KEY_KINDS)("makes %s keys of the documented length and alphabet", (kind) => {
    const { key } = generateKey(kind);
    expect(key).toHaveLength(KEY_LENGTH);
    expect(KEY_LENGTH).toBe(46);
    expect(key).toMatch(new RegExp(`^kw_${kind}_[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`));
    expect(parseKey(key)).toEqual({ ok: true, kind });
  });

  it("carries at least 160 bits in the random part", () => {
    expect(RANDOM_LENGTH * Math.log2(BASE62.length)).toBeGreaterThanOrEqual(160);
  });

  it("never repeats itself over 10,000 keys", () => {
    const keys = new Set<string>();
    const randoms = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const { key } = generateKey("live");
      keys.add(key);
      randoms.add(key.slice(HEAD, HEAD + RANDOM_LENGTH));
    }
    expect(keys.size).toBe(10_000);
    expect(randoms.size).toBe(10_000);
  });

  it("uses every base62 character, roughly evenly (no modulo bias towards the first 8)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) {
      for (const ch of generateKey("live").key.slice(HEAD, HEAD + RANDOM_LENGTH))
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    // 128,000 draws: about 2,065 per character, σ ≈ 45. A biased `byte % 62` would give the first 8 about 2,480.
    for (const n of counts.values()) expect(Math.abs(n - 128_000 / 62)).toBeLessThan(300);
  });

  it("rejects an unknown kind at run time", () => {
    expect(() => generateKey("test" as never)).toThrow(/Unknown key kind/);
  });
});

describe("hash and prefix", () => {
  it("hashes with SHA-256 (hex), stably", () => {
    const { key, hash } = generateKey("live");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(hashKey(key)).toBe(hash);
    expect(hashKey(key)).toBe(hashKey(key));
    // Known answer (FIPS 180-2 test vector), so a change of algorithm or encoding cannot go unnoticed.
    expect(hashKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it.each(KEY_KINDS)("shows the %s tag and at most 6 random characters", (kind) => {
    const { key, prefix } = generateKey(kind);
    expect(prefix).toBe(key.slice(0, HEAD + PREFIX_RANDOM_CHARS));
    expect(prefix).toMatch(new RegExp(`^kw_${kind}_[0-9A-Za-z]{4}$`));
    expect(prefix.length - HEAD).toBeLessThanOrEqual(6);
    expect(key.startsWith(prefix)).toBe(true);
  });
});

describe("parseKey", () => {
  const { key } = generateKey("live");

  it("catches every single-character substitution, at every position", () => {
    let tried = 0;
    for (let i = 0; i < key.length; i++) {
      for (const ch of BASE62) {
        if (ch === key[i]) continue;
        const mutated = key.slice(0, i) + ch + key.slice(i + 1);
        expect(parseKey(mutated).ok, `position ${i} → ${ch}`).toBe(false);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(45 * 60);
  });

  it("reports substitutions in the random part and checksum as checksum failures", () => {
    for (let i = HEAD; i < key.length; i++) {
      const ch = key[i] === "A" ? "B" : "A";
      expect(parseKey(key.slice(0, i) + ch + key.slice(i + 1))).toEqual({ ok: false, reason: "checksum" });
    }
  });

  it("catches every transposition of adjacent different characters in the random part and checksum", () => {
    for (const sample of [key, ...Array.from({ length: 50 }, () => generateKey("live").key)]) {
      for (let i = HEAD; i < sample.length - 1; i++) {
        if (i === HEAD + RANDOM_LENGTH - 1 || sample[i] === sample[i + 1]) continue; // straddles the boundary / no-op
        expect(parseKey(swapAt(sample, i)), `swap at ${i}`).toEqual({ ok: false, reason: "checksum" });
      }
    }
  });

  it("does not let a live key pass as a management key", () => {
    expect(parseKey(key.replace("kw_live_", "kw_mgmt_"))).toEqual({ ok: false, reason: "checksum" });
  });

  it.each([
    ["empty", ""],
    ["too short", key.slice(0, -1)],
    ["too long", `${key}A`],
    ["unknown tag", key.replace("kw_live_", "kw_test_")],
    ["upper-case prefix", key.replace("kw_", "KW_")],
    ["non-base62 character", `${key.slice(0, 20)}-${key.slice(21)}`],
    ["non-ASCII character", `${key.slice(0, 20)}é${key.slice(21)}`],
    ["surrounding whitespace", ` ${key.slice(1)}`],
    ["an OpenAI key", `sk-proj-${"a".repeat(38)}`],
  ])("rejects %s as a format error", (_label, candidate) => {
    expect(parseKey(candidate)).toEqual({ ok: false, reason: "format" });
  });

  it("returns shared result objects (no allocation per call)", () => {
    expect(parseKey(key)).toBe(parseKey(generateKey("live").key));
    expect(parseKey("nope")).toBe(parseKey("kw_nope"));
  });
});

describe("KEY_PATTERN and log redaction", () => {
  it("finds keys inside text, and the logger redacts every character of them", () => {
    for (const kind of KEY_KINDS) {
      const { key } = generateKey(kind);
      const text = `request failed for ${key}, retrying`;
      expect(text.match(KEY_PATTERN)?.[0]).toBe(key);
      const redacted = redactText(text);
      expect(redacted).toBe("request failed for [redacted], retrying");
    }
  });

  it("does not match inside longer tokens", () => {
    const { key } = generateKey("live");
    expect(KEY_PATTERN.test(`${key}x`)).toBe(false);
    expect(KEY_PATTERN.test(`x${key}`)).toBe(false);
  });
});
