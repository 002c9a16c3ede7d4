import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BASE62_ALPHABET, generateToken, generateTokenFrom } from "@/lib/tokens/format";
import { hashToken, safeEqualHex, tokenHint, type HashKey } from "@/lib/tokens/hash";

const KEY: HashKey = { version: 1, secret: "tessera-test-key" };
const KNOWN_TOKEN = "tsr_0123456789ABCDEFGHIJKLMNOPQRSTUV10Oa8F";
// Computed once with Python's hmac module.
const KNOWN_TOKEN_HASH = "78ab7e95eb7f68fa85eca1acd4261faa976236d1410db49ec7919d5f75e73dad";

const validToken = fc
  .array(fc.constantFrom(...BASE62_ALPHABET.split("")), { minLength: 32, maxLength: 32 })
  .map((chars) => generateTokenFrom(chars.join("")));

describe("token hashing (SPEC §4: stored as HMAC-SHA256 of the token)", () => {
  it("matches RFC 4231 test case 2", () => {
    const hash = hashToken("what do ya want for nothing?", { version: 1, secret: "Jefe" });
    expect(hash).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("hashes a known token to a known 64-character lowercase hex value", () => {
    expect(hashToken(KNOWN_TOKEN, KEY)).toBe(KNOWN_TOKEN_HASH);
  });

  it("is keyed: another secret gives another hash, the key version does not change the value", () => {
    expect(hashToken(KNOWN_TOKEN, { version: 2, secret: "another-key" })).not.toBe(KNOWN_TOKEN_HASH);
    expect(hashToken(KNOWN_TOKEN, { version: 7, secret: KEY.secret })).toBe(KNOWN_TOKEN_HASH);
  });

  it("never contains the token", () => {
    const token = generateToken();
    const hash = hashToken(token, KEY);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token.slice(4, 12));
  });

  it("refuses an empty secret", () => {
    expect(() => hashToken(KNOWN_TOKEN, { version: 1, secret: "" })).toThrow();
  });
});

describe("token hint (prefix + last 4 characters)", () => {
  it("shows the first 8 and the last 4 characters", () => {
    expect(tokenHint(KNOWN_TOKEN)).toBe("tsr_0123…Oa8F");
  });

  it("never contains the middle of the token", () => {
    fc.assert(
      fc.property(validToken, (token) => {
        const hint = tokenHint(token);
        expect(hint).toBe(`${token.slice(0, 8)}…${token.slice(-4)}`);
        expect(hint.replace("…", "")).toHaveLength(12);
        // No 8-character run of the hidden middle (characters 8–37) appears in the hint.
        for (let start = 8; start + 8 <= 38; start++) {
          expect(hint).not.toContain(token.slice(start, start + 8));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("refuses values so short that a hint would reveal most of them", () => {
    expect(() => tokenHint("tsr_abcdef")).toThrow(RangeError);
  });
});

describe("safeEqualHex", () => {
  it("is true only for the same hex value", () => {
    const hash = hashToken(KNOWN_TOKEN, KEY);
    expect(safeEqualHex(hash, KNOWN_TOKEN_HASH)).toBe(true);
    expect(safeEqualHex(hash, hashToken(generateToken(), KEY))).toBe(false);
    expect(safeEqualHex(hash, hash.slice(0, -2))).toBe(false);
  });

  it("is false for input that is not hex instead of comparing a truncated decode", () => {
    expect(safeEqualHex("zz", "zz")).toBe(false);
    expect(safeEqualHex("abc", "abc")).toBe(false);
    expect(safeEqualHex("", "")).toBe(true);
  });
});
