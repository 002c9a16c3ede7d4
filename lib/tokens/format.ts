import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

// SPEC §4: `tsr_` + 32 random base62 chars (~190 bits) + 6 base62 chars of CRC32. The
// checksum lets us reject typos and garbage before any database work, and lets secret
// scanners tell a real leak from a look-alike string.

export const TOKEN_PREFIX = "tsr_";
export const TOKEN_RANDOM_LENGTH = 32;
export const TOKEN_CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + TOKEN_RANDOM_LENGTH + TOKEN_CHECKSUM_LENGTH;
export const TOKEN_PATTERN = /^tsr_[0-9A-Za-z]{38}$/;

export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const RANDOM_PART_PATTERN = /^[0-9A-Za-z]{32}$/;
// Largest multiple of 62 that fits in a byte; bytes at or above it are discarded so that
// `byte % 62` is uniform (no modulo bias).
const UNBIASED_BYTE_LIMIT = 62 * Math.floor(256 / 62);

function base62Char(index: number): string {
  const char = BASE62_ALPHABET[index];
  if (char === undefined) throw new RangeError(`base62 index out of range: ${index}`);
  return char;
}

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    // Over-draw a little so one call usually suffices despite the ~3% rejection rate.
    for (const byte of randomBytes(length + 8)) {
      if (byte >= UNBIASED_BYTE_LIMIT) continue;
      out += base62Char(byte % 62);
      if (out.length === length) break;
    }
  }
  return out;
}

export function checksumOf(body: string): string {
  let value = crc32(body);
  let digits = "";
  do {
    digits = base62Char(value % 62) + digits;
    value = Math.floor(value / 62);
  } while (value > 0);
  // 62^6 > 2^32, so every CRC32 fits in six digits.
  return digits.padStart(TOKEN_CHECKSUM_LENGTH, "0");
}

// Deterministic half of generateToken, exposed so tests can pin known vectors.
export function generateTokenFrom(randomPart: string): string {
  if (!RANDOM_PART_PATTERN.test(randomPart)) {
    throw new RangeError(`random part must be ${TOKEN_RANDOM_LENGTH} base62 characters`);
  }
  const body = TOKEN_PREFIX + randomPart;
  return body + checksumOf(body);
}

export function generateToken(): string {
  return generateTokenFrom(randomBase62(TOKEN_RANDOM_LENGTH));
}

export function isWellFormedToken(value: unknown): value is string {
  if (typeof value !== "string" || value.length !== TOKEN_LENGTH || !TOKEN_PATTERN.test(value)) {
    return false;
  }
  const bodyLength = TOKEN_LENGTH - TOKEN_CHECKSUM_LENGTH;
  return checksumOf(value.slice(0, bodyLength)) === value.slice(bodyLength);
}
