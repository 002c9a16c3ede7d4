import { createHmac, timingSafeEqual } from "node:crypto";

// Keyed (not plain) hash so that a leaked database alone cannot be used to confirm guessed
// tokens; the version lets the server key rotate while old hashes stay verifiable.
export type HashKey = { version: number; secret: string };

export const TOKEN_HASH_HEX_LENGTH = 64;

const HINT_HEAD_LENGTH = 8;
const HINT_TAIL_LENGTH = 4;
const HEX_PATTERN = /^(?:[0-9a-f]{2})*$/;

export function hashToken(token: string, key: HashKey): string {
  if (key.secret.length === 0) throw new Error(`hash key version ${key.version} has an empty secret`);
  return createHmac("sha256", key.secret).update(token, "utf8").digest("hex");
}

// Enough to recognise a token in a list (prefix + last 4, like GitHub), never enough to use it.
export function tokenHint(token: string): string {
  // Refuse short input: a hint of it would reveal most of the secret.
  if (token.length < 2 * (HINT_HEAD_LENGTH + HINT_TAIL_LENGTH)) {
    throw new RangeError("value is too short to hint at safely");
  }
  return `${token.slice(0, HINT_HEAD_LENGTH)}…${token.slice(-HINT_TAIL_LENGTH)}`;
}

// Constant-time for equal-length input, so comparing hashes leaks nothing about where they differ.
export function safeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length || !HEX_PATTERN.test(a) || !HEX_PATTERN.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));
}
