import { z } from "zod";
import type { TokenSort } from "@/lib/validation/token";

const cursorSchema = z.object({ s: z.string(), v: z.string().max(300), id: z.uuid() });

/** An opaque keyset cursor: the last row's sort value and id, bound to its sort order. */
export function encodeCursor(sort: TokenSort, value: string, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, v: value, id })).toString("base64url");
}

/** The position a cursor names, or null for a missing, malformed or other-sort cursor (first page). */
export function decodeCursor(cursor: string | undefined, sort: TokenSort): { value: string; id: string } | null {
  if (!cursor) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (!parsed.success || parsed.data.s !== sort) return null;
    if (sort !== "description_asc" && !isTimestamp(parsed.data.v)) return null;
    return { value: parsed.data.v, id: parsed.data.id };
  } catch {
    return null;
  }
}

function isTimestamp(value: string): boolean {
  return value === "infinity" || value === "-infinity" || !Number.isNaN(Date.parse(value));
}
