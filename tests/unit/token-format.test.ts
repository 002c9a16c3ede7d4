import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BASE62_ALPHABET,
  TOKEN_LENGTH,
  TOKEN_PATTERN,
  TOKEN_PREFIX,
  checksumOf,
  generateToken,
  generateTokenFrom,
  isWellFormedToken,
} from "@/lib/tokens/format";

// Vectors computed once with Python's zlib.crc32 and an independent base62 encoder.
const KNOWN_RANDOM_PART = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
const KNOWN_TOKEN = "tsr_0123456789ABCDEFGHIJKLMNOPQRSTUV10Oa8F";
const ALL_ZERO_TOKEN = "tsr_000000000000000000000000000000003haaEO";

const base62Char = fc.constantFrom(...BASE62_ALPHABET.split(""));
const randomPart = fc.array(base62Char, { minLength: 32, maxLength: 32 }).map((chars) => chars.join(""));
const validToken = randomPart.map(generateTokenFrom);

describe("token format (SPEC §4)", () => {
  it("CRC32 is the standard IEEE polynomial (check value of '123456789' is 0xCBF43926)", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(checksumOf("123456789")).toBe("3jZRME");
  });

  it("a fixed random part yields a fixed token: tsr_ + random part + base62 CRC32 of the preceding text", () => {
    expect(generateTokenFrom(KNOWN_RANDOM_PART)).toBe(KNOWN_TOKEN);
    expect(generateTokenFrom("0".repeat(32))).toBe(ALL_ZERO_TOKEN);
    expect(isWellFormedToken(KNOWN_TOKEN)).toBe(true);
    expect(isWellFormedToken(ALL_ZERO_TOKEN)).toBe(true);
  });

  it("the checksum is left-padded with '0' to six characters", () => {
    fc.assert(
      fc.property(fc.string(), (body) => {
        const checksum = checksumOf(body);
        expect(checksum).toMatch(/^[0-9A-Za-z]{6}$/);
        expect(parseBase62(checksum)).toBe(crc32(body));
      }),
    );
  });

  it("generated tokens are 42 characters, match the pattern, pass the checksum and are unique over 10,000", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const token = generateToken();
      expect(token).toHaveLength(TOKEN_LENGTH);
      expect(token).toMatch(TOKEN_PATTERN);
      expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
      expect(isWellFormedToken(token)).toBe(true);
      seen.add(token);
    }
    expect(seen.size).toBe(10_000);
  });

  it("generated random parts use the whole base62 alphabet", () => {
    const used = new Set<string>();
    for (let i = 0; i < 500; i++) {
      for (const char of generateToken().slice(4, 36)) used.add(char);
    }
    expect(used.size).toBe(62);
  });

  it("any single-character substitution makes a valid token fail the check", () => {
    const substitute = fc.oneof(base62Char, fc.constantFrom("_", "-", " ", "é", "\n", "0"));
    fc.assert(
      fc.property(validToken, fc.nat({ max: TOKEN_LENGTH - 1 }), substitute, (token, index, char) => {
        fc.pre(token[index] !== char);
        const tampered = token.slice(0, index) + char + token.slice(index + 1);
        expect(isWellFormedToken(tampered)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("swapping two adjacent different characters of the random part fails the check", () => {
    fc.assert(
      fc.property(validToken, fc.integer({ min: 4, max: 34 }), (token, index) => {
        const a = token.charAt(index);
        const b = token.charAt(index + 1);
        fc.pre(a !== b);
        const swapped = token.slice(0, index) + b + a + token.slice(index + 2);
        expect(isWellFormedToken(swapped)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("rejects a wrong prefix, a wrong length and characters outside base62", () => {
    const body = KNOWN_TOKEN.slice(4);
    expect(isWellFormedToken(`tsx_${body}`)).toBe(false);
    expect(isWellFormedToken(`TSR_${body}`)).toBe(false);
    expect(isWellFormedToken(`ghp_${body}`)).toBe(false);
    expect(isWellFormedToken(body)).toBe(false);
    expect(isWellFormedToken(KNOWN_TOKEN.slice(0, -1))).toBe(false);
    expect(isWellFormedToken(`${KNOWN_TOKEN}0`)).toBe(false);
    expect(isWellFormedToken(` ${KNOWN_TOKEN}`)).toBe(false);
    expect(isWellFormedToken(`${KNOWN_TOKEN}\n`)).toBe(false);
    expect(isWellFormedToken(KNOWN_TOKEN.replace("A", "-"))).toBe(false);
    expect(isWellFormedToken("")).toBe(false);
  });

  it("rejects arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (value) => {
        expect(isWellFormedToken(value)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("rejects non-strings", () => {
    for (const value of [undefined, null, 42, true, {}, [KNOWN_TOKEN], new String(KNOWN_TOKEN)]) {
      expect(isWellFormedToken(value)).toBe(false);
    }
  });

  it("generateTokenFrom refuses a random part that is not 32 base62 characters", () => {
    expect(() => generateTokenFrom("short")).toThrow(RangeError);
    expect(() => generateTokenFrom(`${KNOWN_RANDOM_PART}0`)).toThrow(RangeError);
    expect(() => generateTokenFrom(KNOWN_RANDOM_PART.replace("A", "_"))).toThrow(RangeError);
  });
});

function parseBase62(digits: string): number {
  let value = 0;
  for (const char of digits) value = value * 62 + BASE62_ALPHABET.indexOf(char);
  return value;
}
