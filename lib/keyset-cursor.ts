import { z } from "zod";

const cursorSchema = z.object({ at: z.iso.datetime(), id: z.uuid() });

/** An opaque cursor for lists ordered newest first by (timestamp, id): the last row shown. */
export function encodeTimeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify({ at: at.toISOString(), id })).toString("base64url");
}

/** The position a cursor names, or null for a missing or malformed cursor (the first page). */
export function decodeTimeCursor(cursor: string | undefined): { at: Date; id: string } | null {
  if (!cursor) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.success ? { at: new Date(parsed.data.at), id: parsed.data.id } : null;
  } catch {
    return null;
  }
}
