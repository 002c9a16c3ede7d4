import { z } from "zod";

/**
 * Every list, in the console and the API, pages by keyset cursor with these bounds. A list's
 * total is counted up to `countCap` and shown as "10,000+" beyond it, so a count never reads more
 * than that many rows (GitLab omits its totals past the same number).
 */
export const PAGE_LIMITS = { cursorLength: 500, defaultSize: 50, maxSize: 200, countCap: 10_000 } as const;

/** A count that stops at PAGE_LIMITS.countCap; `totalCapped` says more rows matched. */
export type CappedCount = { total: number; totalCapped: boolean };

/** The capped count of a query that read at most countCap + 1 rows and found `n`. */
export const cappedCount = (n: number): CappedCount => ({
  total: Math.min(n, PAGE_LIMITS.countCap),
  totalCapped: n > PAGE_LIMITS.countCap,
});
/** The page query of the console's lists: a bad cursor or size falls back, never fails the page. */
export const pageQuery = {
  cursor: z.string().max(PAGE_LIMITS.cursorLength).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(PAGE_LIMITS.maxSize).default(PAGE_LIMITS.defaultSize).catch(PAGE_LIMITS.defaultSize),
};

/**
 * An instant as this app writes it (`Date#toISOString`), and nothing else: the value must
 * round-trip, so an impossible day, a year PostgreSQL lacks (0) or one past 9999 never reaches SQL.
 */
export const isoInstant = z.string().refine((value) => {
  const at = new Date(value);
  return /^\d{4}-/.test(value) && !Number.isNaN(at.getTime()) && at.toISOString() === value && at.getUTCFullYear() >= 1;
});

/** No NUL: PostgreSQL text cannot hold one, and none of our values contain it. */
export const cursorText = z
  .string()
  .max(300)
  .refine((value) => !value.includes("\u0000"));

/** Encodes a keyset position as opaque base64url JSON. */
export function encodeKeyset(position: Record<string, string>): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** The position a cursor names if it has exactly the schema's shape; null for anything else. */
export function decodeKeyset<T>(cursor: string, schema: z.ZodType<T>): T | null {
  if (!/^[A-Za-z0-9_-]{1,600}$/.test(cursor)) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const timeCursorSchema = z.strictObject({ at: isoInstant, id: z.uuid() });

/** An opaque cursor for lists ordered newest first by (timestamp, id): the last row shown. */
export function encodeTimeCursor(at: Date, id: string): string {
  return encodeKeyset({ at: at.toISOString(), id });
}

/** The position a cursor names, or null for a missing or malformed cursor (the first page). */
export function decodeTimeCursor(cursor: string | undefined): { at: Date; id: string } | null {
  const position = cursor ? decodeKeyset(cursor, timeCursorSchema) : null;
  return position ? { at: new Date(position.at), id: position.id } : null;
}
