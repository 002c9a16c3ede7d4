import { z } from "zod";
import { cursorText, decodeKeyset, encodeKeyset, isoInstant } from "@/lib/shared/keyset-cursor";
import type { TokenSort } from "@/lib/validation/token";

// The sort value each order issues: a description, an instant, or the infinity that stands for
// "never" (no expiry, never used). Anything else would reach PostgreSQL as a cast and fail there.
const VALUES: Record<TokenSort, z.ZodType<string>> = {
  created_desc: isoInstant,
  created_asc: isoInstant,
  description_asc: cursorText,
  expires_asc: z.union([isoInstant, z.literal("infinity")]),
  last_used_desc: z.union([isoInstant, z.literal("-infinity")]),
};

/** An opaque keyset cursor: the last row's sort value and id, bound to its sort order. */
export function encodeCursor(sort: TokenSort, value: string, id: string): string {
  return encodeKeyset({ s: sort, v: value, id });
}

/** The position a cursor names, or null for a missing, malformed or other-sort cursor (first page). */
export function decodeCursor(cursor: string | undefined, sort: TokenSort): { value: string; id: string } | null {
  if (!cursor) return null;
  const position = decodeKeyset(cursor, z.strictObject({ s: z.literal(sort), v: VALUES[sort], id: z.uuid() }));
  return position ? { value: position.v, id: position.id } : null;
}
